"""The integration API's own app: API keys, webhooks, idempotency records, and what every API
door (claims/api/, sources/api/) shares: errors as problem details, the OpenAPI schema's
additions, authentication, permissions, parsers, throttles and pagination."""
