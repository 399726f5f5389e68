"""The demo site: its content (demo_content.json) and `manage.py load_demo`."""
