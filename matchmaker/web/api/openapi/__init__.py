"""The OpenAPI 3 document of /api/v1: the hubs' and exchanges' paths (`document`), the
coordinators' (`coordination`) and the rounds' (`rounds`), from shared pieces (`common`).
A test checks that it lists exactly the API's routes and methods, and that responses match
the schemas it declares."""

from matchmaker.web.api.openapi.document import openapi_document

__all__ = ["openapi_document"]
