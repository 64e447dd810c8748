"""Verdict history: each change of a conversation's verdict (why, from what, by whom);
who set a step's due (so re-analysis keeps it); one conversation per thread key.

Revision ID: 0004_verdict_history
Revises: 0007_nudge_detail
Create Date: 2026-12-03 04:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import sqlmodel.sql.sqltypes
import storage.types

# revision identifiers, used by Alembic.
revision: str = '0004_verdict_history'
down_revision: Union[str, Sequence[str], None] = '0007_nudge_detail'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('verdict_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('secured_before', sa.Boolean(), nullable=True),
    sa.Column('secured_after', sa.Boolean(), nullable=False),
    sa.Column('tier_before', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('tier_after', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cause', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_verdict_change_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['next_step.id'], name=op.f('fk_verdict_change_step_id_next_step'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict_change'))
    )
    op.create_index(op.f('ix_verdict_change_at'), 'verdict_change', ['at'], unique=False)
    op.create_index(op.f('ix_verdict_change_conversation_id'), 'verdict_change', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_verdict_change_step_id'), 'verdict_change', ['step_id'], unique=False)
    with op.batch_alter_table('next_step') as batch:
        batch.add_column(sa.Column('due_set_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # Conversations stored before: their verdict as it stands is their first history.
    op.execute(
        "INSERT INTO verdict_change (conversation_id, at, secured_after, tier_after, cause, reason) "
        "SELECT id, analysed_at, next_steps_secured, tier, 'analysis', reason FROM conversation"
    )
    # Two conversations of one thread (the race this key now prevents): the older keeps it.
    op.execute(
        "UPDATE conversation SET thread_key = NULL WHERE thread_key IS NOT NULL AND id NOT IN "
        "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM conversation "
        "WHERE thread_key IS NOT NULL GROUP BY thread_key) AS firsts)"
    )
    op.drop_index(op.f('ix_conversation_thread_key'), table_name='conversation')
    op.create_index(op.f('ix_conversation_thread_key'), 'conversation', ['thread_key'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_conversation_thread_key'), table_name='conversation')
    op.create_index(op.f('ix_conversation_thread_key'), 'conversation', ['thread_key'], unique=False)
    with op.batch_alter_table('next_step') as batch:
        batch.drop_column('due_set_by')
    op.drop_index(op.f('ix_verdict_change_step_id'), table_name='verdict_change')
    op.drop_index(op.f('ix_verdict_change_conversation_id'), table_name='verdict_change')
    op.drop_index(op.f('ix_verdict_change_at'), table_name='verdict_change')
    op.drop_table('verdict_change')
