"""The ledger's first schema: submissions, their files, findings, results, figures and
accepted rows (one table per sheet), reviews, users, entities, periods and the audit log.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('entities',
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('entity_id')
    )
    op.create_table('period_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('period_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_events_year'), ['year'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('period_year', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('envreport_version', sa.String(length=40), nullable=False),
    sa.Column('factor_library_version', sa.String(length=40), nullable=True),
    sa.Column('gwp_set', sa.String(length=10), nullable=True),
    sa.Column('consolidation_approach', sa.String(length=30), nullable=True),
    sa.Column('organization', sa.Text(), nullable=True),
    sa.Column('row_counts', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index('ix_submissions_entity_period', ['entity_id', 'period_start', 'period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_period_year'), ['period_year'], unique=False)

    op.create_table('users',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('api_tokens',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_name'], ['users.name'], ),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    op.create_table('figures',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'key')
    )
    op.create_table('findings',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('sheet', sa.Text(), nullable=True),
    sa.Column('cell', sa.String(length=20), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('column', sa.String(length=5), nullable=True),
    sa.Column('field', sa.Text(), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('hint_en', sa.Text(), nullable=True),
    sa.Column('hint_zh', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'seq')
    )
    op.create_table('report_builds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('used_submission_ids', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_builds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_builds_submission_id'), ['submission_id'], unique=False)

    op.create_table('results',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('schema_version', sa.String(length=10), nullable=False),
    sa.Column('results_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id')
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_submission_id'), ['submission_id'], unique=False)

    op.create_table('rows_electricity',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('energy_type', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('grid_country', sa.Text(), nullable=True),
    sa.Column('supplier', sa.Text(), nullable=True),
    sa.Column('instrument', sa.Text(), nullable=True),
    sa.Column('instrument_quantity', sa.Float(), nullable=True),
    sa.Column('instrument_factor_kg_per_kwh', sa.Float(), nullable=True),
    sa.Column('supplier_factor_kg_per_kwh', sa.Float(), nullable=True),
    sa.Column('data_quality', sa.Text(), nullable=True),
    sa.Column('source_ref', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_factors',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('factor_type', sa.Text(), nullable=True),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('gas', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_fuel',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('fuel', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('use', sa.Text(), nullable=True),
    sa.Column('data_quality', sa.Text(), nullable=True),
    sa.Column('source_ref', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_fxrates',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('currency', sa.Text(), nullable=True),
    sa.Column('rate_to_reporting_currency', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_generation',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('technology', sa.Text(), nullable=True),
    sa.Column('gross_generation_mwh', sa.Float(), nullable=True),
    sa.Column('net_export_mwh', sa.Float(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_greenfinance',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.Text(), nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('currency', sa.Text(), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('maturity_date', sa.Date(), nullable=True),
    sa.Column('use_of_proceeds', sa.Text(), nullable=True),
    sa.Column('use_of_proceeds_zh', sa.Text(), nullable=True),
    sa.Column('project_ids', sa.Text(), nullable=True),
    sa.Column('standard', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_incidents',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('incident_id', sa.Text(), nullable=True),
    sa.Column('related_incident_id', sa.Text(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('type', sa.Text(), nullable=True),
    sa.Column('severity', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('description_zh', sa.Text(), nullable=True),
    sa.Column('fine_amount', sa.Float(), nullable=True),
    sa.Column('currency', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('corrective_action', sa.Text(), nullable=True),
    sa.Column('corrective_action_zh', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_mitigation',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('action_zh', sa.Text(), nullable=True),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('annual_reduction_tco2e', sa.Float(), nullable=True),
    sa.Column('investment', sa.Float(), nullable=True),
    sa.Column('currency', sa.Text(), nullable=True),
    sa.Column('completion_date', sa.Date(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_narrative',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('text_zh', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_pollutants',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('pollutant', sa.Text(), nullable=True),
    sa.Column('quantity_t', sa.Float(), nullable=True),
    sa.Column('limit_exceedances', sa.Integer(), nullable=True),
    sa.Column('standard', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_projects',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('project_name', sa.Text(), nullable=True),
    sa.Column('project_name_zh', sa.Text(), nullable=True),
    sa.Column('host_country', sa.Text(), nullable=True),
    sa.Column('sector', sa.Text(), nullable=True),
    sa.Column('project_type', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('ownership_pct', sa.Float(), nullable=True),
    sa.Column('operational_control', sa.Boolean(), nullable=True),
    sa.Column('financial_control', sa.Boolean(), nullable=True),
    sa.Column('installed_capacity_mw', sa.Float(), nullable=True),
    sa.Column('construction_start', sa.Date(), nullable=True),
    sa.Column('operation_start', sa.Date(), nullable=True),
    sa.Column('acquired_date', sa.Date(), nullable=True),
    sa.Column('eia_status', sa.Text(), nullable=True),
    sa.Column('eia_approval_date', sa.Date(), nullable=True),
    sa.Column('eia_authority', sa.Text(), nullable=True),
    sa.Column('eia_authority_zh', sa.Text(), nullable=True),
    sa.Column('environmental_standard', sa.Text(), nullable=True),
    sa.Column('protected_area_distance_km', sa.Float(), nullable=True),
    sa.Column('water_stressed', sa.Boolean(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_refrigerants',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('gas', sa.Text(), nullable=True),
    sa.Column('quantity_kg', sa.Float(), nullable=True),
    sa.Column('method', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_subsidiaries',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Text(), nullable=True),
    sa.Column('entity_name', sa.Text(), nullable=True),
    sa.Column('entity_name_zh', sa.Text(), nullable=True),
    sa.Column('ownership_pct', sa.Float(), nullable=True),
    sa.Column('operational_control', sa.Boolean(), nullable=True),
    sa.Column('financial_control', sa.Boolean(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_targets',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('metric', sa.Text(), nullable=True),
    sa.Column('base_year', sa.Integer(), nullable=True),
    sa.Column('base_value', sa.Float(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('target_reduction_pct', sa.Float(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_waste',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('waste_type', sa.Text(), nullable=True),
    sa.Column('waste_type_zh', sa.Text(), nullable=True),
    sa.Column('hazardous', sa.Boolean(), nullable=True),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('disposal', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('data_quality', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('rows_water',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('excel_row', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('flow', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('treated', sa.Boolean(), nullable=True),
    sa.Column('water_quality', sa.Text(), nullable=True),
    sa.Column('data_quality', sa.Text(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id', 'excel_row')
    )
    op.create_table('submission_files',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('submission_id')
    )
    op.create_table('user_entities',
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['user_name'], ['users.name'], ),
    sa.PrimaryKeyConstraint('user_name', 'entity_id')
    )

    # Which submission counts: the newest valid one of an entity and period is current, an
    # older one (valid or not) is superseded, an invalid one with nothing newer is rejected.
    op.execute("""
        CREATE VIEW submission_status AS
        SELECT s.id AS submission_id,
          CASE
            WHEN s.outcome IN ('valid', 'valid_with_warnings') AND NOT EXISTS (
              SELECT 1 FROM submissions n
              WHERE n.entity_id = s.entity_id AND n.period_start = s.period_start
                AND n.period_end = s.period_end AND n.id > s.id
                AND n.outcome IN ('valid', 'valid_with_warnings')) THEN 'current'
            WHEN EXISTS (
              SELECT 1 FROM submissions n
              WHERE n.entity_id = s.entity_id AND n.period_start = s.period_start
                AND n.period_end = s.period_end AND n.id > s.id) THEN 'superseded'
            ELSE 'rejected'
          END AS status
        FROM submissions s
    """)


def downgrade() -> None:
    op.execute("DROP VIEW submission_status")
    op.drop_table('user_entities')
    op.drop_table('submission_files')
    op.drop_table('rows_water')
    op.drop_table('rows_waste')
    op.drop_table('rows_targets')
    op.drop_table('rows_subsidiaries')
    op.drop_table('rows_refrigerants')
    op.drop_table('rows_projects')
    op.drop_table('rows_pollutants')
    op.drop_table('rows_narrative')
    op.drop_table('rows_mitigation')
    op.drop_table('rows_incidents')
    op.drop_table('rows_greenfinance')
    op.drop_table('rows_generation')
    op.drop_table('rows_fxrates')
    op.drop_table('rows_fuel')
    op.drop_table('rows_factors')
    op.drop_table('rows_electricity')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_submission_id'))

    op.drop_table('reviews')
    op.drop_table('results')
    with op.batch_alter_table('report_builds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_builds_submission_id'))

    op.drop_table('report_builds')
    op.drop_table('findings')
    op.drop_table('figures')
    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_period_year'))
        batch_op.drop_index('ix_submissions_entity_period')
        batch_op.drop_index(batch_op.f('ix_submissions_entity_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('period_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_events_year'))

    op.drop_table('period_events')
    op.drop_table('entities')
    op.drop_table('audit_log')
