"""App-free plumbing: modules here import nothing from Factdesk's apps, so any app can use them."""
