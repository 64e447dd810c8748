"""Nudges about no step: what they are about (a meeting that ended without notes).

Revision ID: 0007_nudge_detail
Revises: 0002_slack
Create Date: 2026-12-03 04:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0007_nudge_detail'
down_revision: Union[str, Sequence[str], None] = '0002_slack'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('nudge') as batch:
        batch.add_column(
            sa.Column(
                'detail',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('nudge') as batch:
        batch.drop_column('detail')
