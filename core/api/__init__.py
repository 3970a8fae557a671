"""The REST API's shared machinery: one error shape, rendering (JSON and CSV), content
negotiation, paging, strict ordering, the OpenAPI schema class and the base viewset."""
