// Package httpapi is Rampart's JSON API under /api/v1: one route table
// (routes.go) that the mux, the OpenAPI document (openapi.go) and the tests
// all walk. Handlers are thin: parse the request, call one service method
// with the caller's principal, write the answer. Authorisation and business
// rules live in the services; errors become RFC 9457 problems in exactly
// one place (problem.go).
//
// The handler serves full paths (/api/v1/...), so the application mounts it
// at /api/ without stripping the prefix.
package httpapi
