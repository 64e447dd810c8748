"""Conversation outcome: secured, clear_no or open, stored to filter on

Revision ID: 0005_outcome
Revises: 0004_verdict_history
Create Date: 2026-12-03 04:20:00

"""
from typing import Sequence, Union

import json

from alembic import op
import sqlalchemy as sa
import sqlmodel
import sqlmodel.sql.sqltypes
import storage.types

# revision identifiers, used by Alembic.
revision: str = '0005_outcome'
down_revision: Union[str, Sequence[str], None] = '0004_verdict_history'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add conversation.outcome and fill it from what is stored: secured from the verdict,
    clear_no from the stored analysis, open otherwise."""
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                      server_default='open')
        )
        batch_op.create_index(batch_op.f('ix_conversation_outcome'), ['outcome'], unique=False)
    conversation = sa.table(
        'conversation',
        sa.column('id', sa.Integer()),
        sa.column('next_steps_secured', sa.Boolean()),
        sa.column('analysis', storage.types.json_type()),
        sa.column('outcome', sa.String()),
    )
    bind = op.get_bind()
    bind.execute(
        conversation.update()
        .where(conversation.c.next_steps_secured.is_(True))
        .values(outcome='secured')
    )
    rows = bind.execute(
        sa.select(conversation.c.id, conversation.c.analysis)
        .where(conversation.c.next_steps_secured.is_(False))
    )
    clear = [row.id for row in rows if _outcome_of(row.analysis) == 'clear_no']
    if clear:
        bind.execute(
            conversation.update()
            .where(conversation.c.id.in_(clear))
            .values(outcome='clear_no')
        )


def _outcome_of(analysis: object) -> object:
    """The stored analysis's outcome; rows written by hand may hold JSON text."""
    if isinstance(analysis, str):
        try:
            analysis = json.loads(analysis)
        except ValueError:
            return None
    return analysis.get('outcome') if isinstance(analysis, dict) else None


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_outcome'))
        batch_op.drop_column('outcome')
