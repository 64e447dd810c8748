"""Slack: things done once per team (event deliveries, welcomes), pasted text kept
until saved, and a snooze on next steps.

Revision ID: 0002_slack
Revises: 0002_calendar
Create Date: 2026-12-02 18:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import sqlmodel.sql.sqltypes
import storage.types

# revision identifiers, used by Alembic.
revision: str = '0002_slack'
down_revision: Union[str, Sequence[str], None] = '0002_calendar'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('slack_once',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_once')),
    sa.UniqueConstraint('team_id', 'key', name=op.f('uq_slack_once_team_id_key'))
    )
    op.create_table('slack_paste',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_paste'))
    )
    op.create_index(op.f('ix_slack_paste_team_id'), 'slack_paste', ['team_id'], unique=False)
    with op.batch_alter_table('next_step') as batch:
        batch.add_column(sa.Column('snoozed_until', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('next_step') as batch:
        batch.drop_column('snoozed_until')
    op.drop_index(op.f('ix_slack_paste_team_id'), table_name='slack_paste')
    op.drop_table('slack_paste')
    op.drop_table('slack_once')
