"""Failed tries at adding a person by code and birth date, counted per user against guessing.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person_match_failures',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_match_failures_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_match_failures'))
    )
    with op.batch_alter_table('person_match_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_match_failures_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_match_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_match_failures_user_id'))
    op.drop_table('person_match_failures')
