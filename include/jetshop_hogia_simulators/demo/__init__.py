"""``make demo``: both simulators, Airflow standalone and the demo tenants, on embedded defaults."""
