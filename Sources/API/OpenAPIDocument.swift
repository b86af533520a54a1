/// The OpenAPI 3.1 document served at `GET /v1/openapi.json`: the same bytes as `openapi.json` at the top
/// of the repository. Both are written by `python3 scripts/openapi.py` (do not edit by hand).
enum OpenAPIDocument {
    static let text = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "invoice API",
    "version": "1.0.0",
    "description": "The JSON API of `invoice serve` under /v1/ (issue 20). Every write goes through the same workflows as the command line. Money is a decimal string, dates YYYY-MM-DD, timestamps RFC 3339. Lists: {object: list, data, has_more, url}, limit 1-100 (default 10), starting_after = the last id of the page before.",
    "license": {
      "name": "MIT",
      "identifier": "MIT"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "security": [
    {
      "bearer": []
    }
  ],
  "paths": {
    "/v1/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "this document (no key needed)",
        "security": [],
        "responses": {
          "200": {
            "description": "the OpenAPI 3.1 document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "404": {
            "description": "no API key exists yet: the API is off",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers": {
      "get": {
        "operationId": "listCustomers",
        "summary": "customers by id, cursor pagination; with external_id the one the app knows by it",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 100,
              "default": 10
            }
          },
          {
            "name": "starting_after",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the id of the last object of the page before"
          },
          {
            "name": "external_id",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CustomerList"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "createCustomer",
        "summary": "add a customer (customer add); an existing external_id answers that customer, 200",
        "parameters": [
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CustomerCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "200": {
            "description": "the customer that has this external_id already",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}": {
      "get": {
        "operationId": "getCustomer",
        "summary": "one customer",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "patch": {
        "operationId": "updateCustomer",
        "summary": "change a customer (customer edit); only the fields sent change",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CustomerUpdate"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/users": {
      "get": {
        "operationId": "listUsers",
        "summary": "the customer's users",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserList"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "addUser",
        "summary": "add a user (user add)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/entitlements": {
      "get": {
        "operationId": "getEntitlements",
        "summary": "may they use X now? The current plan and every module, with active, status, usable_until and next; with ?product= that one",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "product",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "a plan's or module's name or id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/Entitlements"
                    },
                    {
                      "$ref": "#/components/schemas/EntitlementCheck"
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/plan": {
      "get": {
        "operationId": "listPlanBookings",
        "summary": "every plan booking of the customer",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingList"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "activatePlan",
        "summary": "book a plan or change to it (plan CUSTOMER activate PLAN --ACTIVATION)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Activation"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/plan/cancel": {
      "post": {
        "operationId": "cancelPlan",
        "summary": "the plan: no renewal; usable until the period ends (plan CUSTOMER cancel)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/plan/revoke": {
      "post": {
        "operationId": "revokePlan",
        "summary": "the plan: undo a cancel (plan CUSTOMER revoke)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/plan/withdraw": {
      "post": {
        "operationId": "withdrawPlan",
        "summary": "the plan: end today: unpaid invoices cancelled by credit note, unused value forfeited, credit kept (plan CUSTOMER withdraw)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/modules": {
      "get": {
        "operationId": "listModuleBookings",
        "summary": "the customer's module bookings",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingList"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "activateModule",
        "summary": "book a module (module CUSTOMER activate MODULE --ACTIVATION)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Activation"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/modules/{module}/cancel": {
      "post": {
        "operationId": "cancelModule",
        "summary": "a module: no renewal; usable until the period ends (module CUSTOMER cancel MODULE)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "module",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the module's name or id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/modules/{module}/revoke": {
      "post": {
        "operationId": "revokeModule",
        "summary": "a module: undo a cancel (module CUSTOMER revoke MODULE)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "module",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the module's name or id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/customers/{id}/modules/{module}/withdraw": {
      "post": {
        "operationId": "withdrawModule",
        "summary": "a module: end today: unpaid invoices cancelled by credit note, unused value forfeited, credit kept (module CUSTOMER withdraw MODULE)",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the customer's id"
          },
          {
            "name": "module",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the module's name or id"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NoBody"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BookingOutcome"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/invoices": {
      "get": {
        "operationId": "listInvoices",
        "summary": "invoices and credit notes by id, cursor pagination (invoice list)",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 100,
              "default": 10
            }
          },
          {
            "name": "starting_after",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "the id of the last object of the page before"
          },
          {
            "name": "customer",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          },
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "draft",
                "open",
                "partially_paid",
                "paid",
                "cancelled",
                "issued",
                "overdue"
              ]
            }
          },
          {
            "name": "type",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "invoice",
                "credit_note"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/InvoiceList"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "createInvoice",
        "summary": "add an invoice: a draft, or issued with issue true (invoice new)",
        "parameters": [
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/InvoiceCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Invoice"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/invoices/{number}": {
      "get": {
        "operationId": "getInvoice",
        "summary": "one invoice as JSON (show --json), or its document with ?format= (or Accept: application/pdf, text/html)",
        "parameters": [
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the invoice's number (or a draft's id)"
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "pdf",
                "html",
                "txt",
                "cii",
                "ubl",
                "facturx"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "the invoice, or its document",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Invoice"
                }
              },
              "application/pdf": {
                "schema": {
                  "type": "string",
                  "format": "binary"
                }
              },
              "text/html; charset=utf-8": {
                "schema": {
                  "type": "string"
                }
              },
              "text/plain; charset=utf-8": {
                "schema": {
                  "type": "string"
                }
              },
              "application/xml": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/v1/invoices/{number}/payments": {
      "post": {
        "operationId": "payInvoice",
        "summary": "record a payment (invoice pay)",
        "parameters": [
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the invoice's number (or a draft's id)"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PaymentCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Payment"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "202": {
            "description": "another currency than the invoice's: kept as unmatched",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Payment"
                }
              }
            }
          }
        }
      }
    },
    "/v1/invoices/{number}/credit-notes": {
      "post": {
        "operationId": "creditInvoice",
        "summary": "issue a credit note (invoice credit-note)",
        "parameters": [
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "the invoice's number (or a draft's id)"
          },
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreditNoteCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "done",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Invoice"
                }
              }
            }
          },
          "400": {
            "description": "malformed request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "no, wrong or revoked API key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "read-only key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "state conflict, or the Idempotency-Key's first request is still running",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "body not application/json",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "validation failed (the command line's message), or Idempotency-Key reused with another request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "too many requests (never on loopback)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "description": "internal error",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "description": "the store cannot write now; try again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "invoice api-keys create --name NAME prints the key once"
      }
    },
    "schemas": {
      "Activation": {
        "type": "object",
        "properties": {
          "product": {
            "type": "string",
            "minLength": 1,
            "description": "the plan's or module's name or id"
          },
          "activation": {
            "type": "string",
            "enum": [
              "free",
              "trial",
              "monthly",
              "yearly",
              "onetime"
            ],
            "description": "onetime: modules only"
          },
          "no_mail": {
            "type": "boolean"
          }
        },
        "required": [
          "product",
          "activation"
        ],
        "additionalProperties": false
      },
      "Booking": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "customer": {
            "type": "integer"
          },
          "kind": {
            "type": "string",
            "enum": [
              "plan",
              "module"
            ]
          },
          "product": {
            "type": "string"
          },
          "status": {
            "type": "string"
          },
          "cycle": {
            "type": "string"
          },
          "start": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "end": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "invoice": {
            "type": [
              "string",
              "null"
            ]
          },
          "replaces": {
            "type": [
              "integer",
              "null"
            ]
          },
          "renewal": {
            "type": [
              "string",
              "null"
            ]
          },
          "usable_until": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "price": {
            "type": [
              "object",
              "null"
            ]
          },
          "next_price": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
          },
          "owed_on_next_invoice": {
            "type": "array",
            "items": {
              "type": "string",
              "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
              "description": "a decimal amount, as a string"
            }
          },
          "paying_invoice": {
            "type": [
              "object",
              "null"
            ]
          },
          "next_renewal": {
            "type": [
              "object",
              "null"
            ]
          },
          "periods": {
            "type": "array",
            "items": {
              "type": "object"
            }
          },
          "history": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "date": {
                  "type": "string",
                  "format": "date"
                },
                "action": {
                  "type": "string"
                },
                "detail": {
                  "type": "string"
                }
              },
              "required": [
                "date",
                "action",
                "detail"
              ]
            }
          }
        },
        "required": [
          "id",
          "customer",
          "kind",
          "product",
          "status",
          "cycle",
          "start",
          "end",
          "invoice",
          "periods",
          "history"
        ]
      },
      "BookingList": {
        "type": "object",
        "properties": {
          "object": {
            "const": "list"
          },
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Booking"
            }
          },
          "has_more": {
            "type": "boolean"
          },
          "url": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "data",
          "has_more",
          "url"
        ]
      },
      "BookingOutcome": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Booking"
          },
          {
            "type": "object",
            "properties": {
              "action": {
                "type": "string"
              },
              "change": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "message": {
                "type": "string"
              },
              "new_invoice": {
                "type": [
                  "object",
                  "null"
                ],
                "properties": {
                  "number": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "status": {
                    "type": "string"
                  },
                  "total": {
                    "type": "string",
                    "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                    "description": "a decimal amount, as a string"
                  },
                  "due_date": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date"
                  }
                }
              },
              "amount": {
                "type": [
                  "string",
                  "null"
                ],
                "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
              },
              "cancelled_invoices": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "forfeited": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "currency": {
                      "type": "string"
                    },
                    "amount": {
                      "type": "string",
                      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                      "description": "a decimal amount, as a string"
                    }
                  },
                  "required": [
                    "currency",
                    "amount"
                  ]
                }
              }
            },
            "required": [
              "action",
              "change",
              "message",
              "new_invoice",
              "amount",
              "cancelled_invoices",
              "forfeited"
            ]
          }
        ],
        "description": "what the action did, the booking as it now is, and the invoice to pay (new_invoice), if one was made"
      },
      "Catalog": {
        "type": "object",
        "properties": {
          "object": {
            "const": "list"
          },
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Product"
            }
          },
          "has_more": {
            "type": "boolean"
          },
          "url": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "data",
          "has_more",
          "url"
        ]
      },
      "CreditNoteCreate": {
        "type": "object",
        "properties": {
          "amount": {
            "type": "string",
            "description": "decimal amount, as a string; neither amount nor lines: all that can still be credited"
          },
          "lines": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "title": {
                  "type": "string"
                },
                "quantity": {
                  "type": "string"
                },
                "unit_price": {
                  "type": "string"
                },
                "vat_rate": {
                  "type": "string"
                }
              },
              "required": [
                "title",
                "quantity",
                "unit_price",
                "vat_rate"
              ],
              "additionalProperties": false
            }
          },
          "reason": {
            "type": "string"
          },
          "refund": {
            "type": "boolean"
          },
          "no_mail": {
            "type": "boolean"
          }
        },
        "additionalProperties": false
      },
      "Customer": {
        "type": "object",
        "properties": {
          "object": {
            "const": "customer"
          },
          "id": {
            "type": "integer"
          },
          "company": {
            "type": "string"
          },
          "contact": {
            "type": "string"
          },
          "street": {
            "type": "string"
          },
          "building": {
            "type": "string"
          },
          "postcode": {
            "type": "string"
          },
          "town": {
            "type": "string"
          },
          "country": {
            "type": "string"
          },
          "email": {
            "type": "string"
          },
          "vat_id": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "language": {
            "type": "string"
          },
          "billing_info": {
            "type": "string"
          },
          "active": {
            "type": "boolean"
          },
          "buyer_reference": {
            "type": "string"
          },
          "electronic_address": {
            "type": "string"
          },
          "einvoice": {
            "type": "string"
          },
          "credit_balance": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "external_id": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "object",
          "id",
          "company",
          "email",
          "country",
          "currency",
          "language",
          "active",
          "credit_balance",
          "external_id"
        ]
      },
      "CustomerCreate": {
        "type": "object",
        "properties": {
          "company": {
            "type": "string",
            "minLength": 1
          },
          "email": {
            "type": "string"
          },
          "country": {
            "type": "string",
            "description": "ISO 3166 alpha-2"
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217; default: the currency setting"
          },
          "language": {
            "type": "string",
            "enum": [
              "en",
              "de",
              "fr",
              "it"
            ]
          },
          "contact": {
            "type": "string"
          },
          "street": {
            "type": "string"
          },
          "building": {
            "type": "string"
          },
          "postcode": {
            "type": "string"
          },
          "town": {
            "type": "string"
          },
          "vat_id": {
            "type": "string"
          },
          "billing_info": {
            "type": "string"
          },
          "buyer_reference": {
            "type": "string"
          },
          "electronic_address": {
            "type": "string"
          },
          "external_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "description": "the app's own id, unique: a second POST with it answers the existing customer (200)"
          }
        },
        "required": [
          "company",
          "email",
          "country"
        ],
        "additionalProperties": false
      },
      "CustomerList": {
        "type": "object",
        "properties": {
          "object": {
            "const": "list"
          },
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Customer"
            }
          },
          "has_more": {
            "type": "boolean"
          },
          "url": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "data",
          "has_more",
          "url"
        ]
      },
      "CustomerUpdate": {
        "type": "object",
        "properties": {
          "company": {
            "type": "string",
            "minLength": 1
          },
          "email": {
            "type": "string"
          },
          "country": {
            "type": "string",
            "description": "ISO 3166 alpha-2"
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217; default: the currency setting"
          },
          "language": {
            "type": "string",
            "enum": [
              "en",
              "de",
              "fr",
              "it"
            ]
          },
          "contact": {
            "type": "string"
          },
          "street": {
            "type": "string"
          },
          "building": {
            "type": "string"
          },
          "postcode": {
            "type": "string"
          },
          "town": {
            "type": "string"
          },
          "vat_id": {
            "type": "string"
          },
          "billing_info": {
            "type": "string"
          },
          "buyer_reference": {
            "type": "string"
          },
          "electronic_address": {
            "type": "string"
          },
          "external_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "description": "the app's own id, unique: a second POST with it answers the existing customer (200)"
          },
          "active": {
            "type": "boolean",
            "description": "false deactivates (kept, hidden from lists)"
          }
        },
        "additionalProperties": false
      },
      "Entitlement": {
        "type": "object",
        "properties": {
          "object": {
            "const": "entitlement"
          },
          "kind": {
            "type": "string",
            "enum": [
              "plan",
              "module"
            ]
          },
          "product": {
            "type": "string"
          },
          "active": {
            "type": "boolean"
          },
          "status": {
            "type": [
              "string",
              "null"
            ]
          },
          "cycle": {
            "type": "string"
          },
          "usable_until": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "next": {
            "$ref": "#/components/schemas/Next"
          },
          "booking": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "object",
          "kind",
          "product",
          "active",
          "status",
          "usable_until",
          "next",
          "booking"
        ]
      },
      "EntitlementCheck": {
        "type": "object",
        "properties": {
          "object": {
            "const": "entitlement_check"
          },
          "customer": {
            "type": "integer"
          },
          "date": {
            "type": "string",
            "format": "date"
          },
          "entitlement": {
            "$ref": "#/components/schemas/Entitlement"
          }
        },
        "required": [
          "object",
          "customer",
          "date",
          "entitlement"
        ]
      },
      "Entitlements": {
        "type": "object",
        "properties": {
          "object": {
            "const": "entitlements"
          },
          "customer": {
            "type": "integer"
          },
          "date": {
            "type": "string",
            "format": "date"
          },
          "plan": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Entitlement"
              },
              {
                "type": "null"
              }
            ]
          },
          "modules": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Entitlement"
            }
          }
        },
        "required": [
          "object",
          "customer",
          "date",
          "plan",
          "modules"
        ]
      },
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "invalid_request_error",
                  "authentication_error",
                  "permission_error",
                  "not_found_error",
                  "conflict_error",
                  "idempotency_error",
                  "validation_error",
                  "rate_limit_error",
                  "api_error"
                ]
              },
              "message": {
                "type": "string"
              },
              "param": {
                "type": "string"
              }
            },
            "required": [
              "type",
              "message"
            ],
            "additionalProperties": false
          }
        },
        "required": [
          "error"
        ],
        "additionalProperties": false,
        "description": "The one error shape: 400 malformed, 401 no/wrong/revoked key, 403 read-only key on a write, 404 unknown, 409 state conflict or idempotency key in use, 413 body too large, 415 not JSON, 422 validation (the command line's message) or idempotency key reused with another request, 429 (never on loopback), 500 (no internal detail), 503 store cannot write now."
      },
      "Invoice": {
        "allOf": [
          {
            "$ref": "#/components/schemas/InvoiceSummary"
          },
          {
            "type": "object",
            "properties": {
              "object": {
                "type": "string",
                "enum": [
                  "invoice",
                  "credit_note"
                ]
              },
              "user": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "lines": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "position": {
                      "type": "integer"
                    },
                    "title": {
                      "type": "string"
                    },
                    "description": {
                      "type": "string"
                    },
                    "quantity": {
                      "type": "string"
                    },
                    "unit": {
                      "type": "string"
                    },
                    "unit_price": {
                      "type": "string",
                      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                      "description": "a decimal amount, as a string"
                    },
                    "discount": {
                      "type": "string"
                    },
                    "vat_rate": {
                      "type": "string"
                    },
                    "amount": {
                      "type": "string",
                      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                      "description": "a decimal amount, as a string"
                    }
                  },
                  "required": [
                    "position",
                    "title",
                    "quantity",
                    "unit_price",
                    "vat_rate",
                    "amount"
                  ]
                }
              },
              "payments": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "amount": {
                      "type": "string",
                      "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                      "description": "a decimal amount, as a string"
                    },
                    "date": {
                      "type": "string",
                      "format": "date"
                    },
                    "method": {
                      "type": "string"
                    },
                    "reference": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "amount",
                    "date"
                  ]
                }
              },
              "notes": {
                "type": "string"
              },
              "sent": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date"
              }
            },
            "required": [
              "object",
              "lines",
              "payments"
            ]
          }
        ]
      },
      "InvoiceCreate": {
        "type": "object",
        "properties": {
          "customer": {
            "type": "string",
            "pattern": "^[1-9][0-9]{0,17}$",
            "description": "the customer's id"
          },
          "title": {
            "type": "string"
          },
          "notes": {
            "type": "string"
          },
          "purchase_order": {
            "type": "string"
          },
          "tax_mode": {
            "type": "string",
            "enum": [
              "net",
              "gross",
              "exempt"
            ]
          },
          "exempt_note": {
            "type": "string"
          },
          "language": {
            "type": "string",
            "enum": [
              "en",
              "de",
              "fr",
              "it"
            ]
          },
          "user": {
            "type": "string",
            "description": "a user id of the customer"
          },
          "lines": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Line"
            }
          },
          "issue": {
            "type": "boolean",
            "description": "issue at once (else a draft)"
          },
          "no_mail": {
            "type": "boolean"
          }
        },
        "required": [
          "customer"
        ],
        "additionalProperties": false
      },
      "InvoiceList": {
        "type": "object",
        "properties": {
          "object": {
            "const": "list"
          },
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/InvoiceSummary"
            }
          },
          "has_more": {
            "type": "boolean"
          },
          "url": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "data",
          "has_more",
          "url"
        ]
      },
      "InvoiceSummary": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "number": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "type": "string"
          },
          "customer": {
            "type": "integer"
          },
          "customer_name": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "language": {
            "type": "string"
          },
          "tax_mode": {
            "type": "string"
          },
          "issue_date": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "due_date": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "net": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "vat": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/VATGroup"
            }
          },
          "vat_total": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "gross": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "rounding": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "total": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "paid": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "open": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "type": {
            "type": "string",
            "enum": [
              "invoice",
              "credit_note"
            ]
          },
          "prepaid": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "credited": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "invoice": {
            "type": [
              "string",
              "null"
            ]
          },
          "refunded": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          }
        },
        "required": [
          "id",
          "number",
          "status",
          "customer",
          "currency",
          "issue_date",
          "due_date",
          "net",
          "vat",
          "gross",
          "total",
          "paid",
          "open",
          "type"
        ]
      },
      "Line": {
        "type": "object",
        "properties": {
          "title": {
            "type": "string",
            "minLength": 1
          },
          "quantity": {
            "type": "string",
            "description": "decimal, as a string"
          },
          "unit_price": {
            "type": "string",
            "description": "decimal amount, as a string"
          },
          "vat_rate": {
            "type": "string",
            "description": "percent, as a string"
          },
          "discount": {
            "type": "string"
          },
          "unit": {
            "type": "string"
          },
          "description": {
            "type": "string"
          }
        },
        "required": [
          "title",
          "quantity",
          "unit_price",
          "vat_rate"
        ],
        "additionalProperties": false
      },
      "Next": {
        "type": [
          "object",
          "null"
        ],
        "properties": {
          "action": {
            "type": "string"
          },
          "on": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "invoice": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "action",
          "on",
          "invoice"
        ],
        "description": "what happens next: activates_when_paid, starts, trial_ends, ends, renews, lapses_unless_paid, reactivates_when_paid, changes_cycle, changes_to_PRODUCT"
      },
      "NoBody": {
        "type": "object",
        "properties": {},
        "additionalProperties": false
      },
      "Payment": {
        "type": "object",
        "properties": {
          "object": {
            "const": "payment"
          },
          "status": {
            "type": "string",
            "enum": [
              "applied",
              "credited",
              "unmatched"
            ]
          },
          "id": {
            "type": [
              "string",
              "null"
            ]
          },
          "invoice": {
            "type": "string"
          },
          "amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "currency": {
            "type": "string"
          },
          "date": {
            "type": "string",
            "format": "date"
          },
          "credited": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
          },
          "invoice_object": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Invoice"
              },
              {
                "type": "null"
              }
            ]
          }
        },
        "required": [
          "object",
          "status",
          "invoice",
          "amount",
          "currency",
          "date"
        ]
      },
      "PaymentCreate": {
        "type": "object",
        "properties": {
          "amount": {
            "type": "string",
            "description": "decimal amount, as a string"
          },
          "currency": {
            "type": "string",
            "description": "default: the invoice's; another one is kept as unmatched (202)"
          },
          "date": {
            "type": "string",
            "format": "date"
          },
          "method": {
            "type": "string"
          },
          "reference": {
            "type": "string"
          }
        },
        "required": [
          "amount"
        ],
        "additionalProperties": false
      },
      "Product": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "kind": {
            "type": "string",
            "enum": [
              "plan",
              "module"
            ]
          },
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "trial_days": {
            "type": "integer"
          },
          "free": {
            "type": "boolean"
          },
          "active": {
            "type": "boolean"
          },
          "prices": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "currency": {
                  "type": "string"
                },
                "monthly": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
                },
                "yearly": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
                },
                "onetime": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
                },
                "vat_rate": {
                  "type": "string"
                },
                "gross": {
                  "type": "boolean"
                }
              },
              "required": [
                "currency",
                "monthly",
                "yearly",
                "onetime",
                "vat_rate",
                "gross"
              ]
            }
          }
        },
        "required": [
          "id",
          "kind",
          "name",
          "prices"
        ]
      },
      "User": {
        "type": "object",
        "properties": {
          "object": {
            "const": "user"
          },
          "id": {
            "type": "integer"
          },
          "customer": {
            "type": "integer"
          },
          "salutation": {
            "type": "string"
          },
          "first_name": {
            "type": "string"
          },
          "surname": {
            "type": "string"
          },
          "email": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "id",
          "customer",
          "first_name",
          "surname",
          "email"
        ]
      },
      "UserCreate": {
        "type": "object",
        "properties": {
          "salutation": {
            "type": "string"
          },
          "first_name": {
            "type": "string"
          },
          "surname": {
            "type": "string"
          },
          "email": {
            "type": "string"
          }
        },
        "required": [
          "first_name",
          "surname",
          "email"
        ],
        "additionalProperties": false
      },
      "UserList": {
        "type": "object",
        "properties": {
          "object": {
            "const": "list"
          },
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/User"
            }
          },
          "has_more": {
            "type": "boolean"
          },
          "url": {
            "type": "string"
          }
        },
        "required": [
          "object",
          "data",
          "has_more",
          "url"
        ]
      },
      "VATGroup": {
        "type": "object",
        "properties": {
          "rate": {
            "type": "string"
          },
          "base": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          },
          "amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "a decimal amount, as a string"
          }
        },
        "required": [
          "rate",
          "base",
          "amount"
        ]
      }
    }
  }
}
"""# + "\n"
}
