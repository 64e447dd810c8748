"""Intake queue: a claim (who and until when) on each stored input, so workers take
stored inputs apart from receiving them; Message-ID no longer unique (inputs are
de-duplicated by content only).

Revision ID: 0008_intake_queue
Revises: 0006_api
Create Date: 2026-12-03 04:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import sqlmodel.sql.sqltypes
import storage.types

# revision identifiers, used by Alembic.
revision: str = '0008_intake_queue'
down_revision: Union[str, Sequence[str], None] = '0006_api'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # (conversation.thread_key became unique in 0004_verdict_history)
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('lease_until', storage.types.UTCDateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_inbound_message_message_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_inbound_message_message_id'), ['message_id'], unique=False)
        batch_op.create_index('ix_inbound_message_status_lease_until', ['status', 'lease_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_message_status_lease_until')
        batch_op.drop_index(batch_op.f('ix_inbound_message_message_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_inbound_message_message_id'), ['message_id'])
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
