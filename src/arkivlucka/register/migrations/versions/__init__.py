"""Register stage, migrations: one module per schema revision."""
