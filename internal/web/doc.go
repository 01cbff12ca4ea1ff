// Package web serves Rampart's server-rendered user interface: sign-in, the
// CMDB list and CI pages with their impact picture, imports, the audit log
// and the user and team administration. Pages are html/template files and
// static assets embedded in the binary; there is no JavaScript build step
// and no external resource, so the UI works on a closed network.
//
// Handlers are thin: they parse the request, call a service with the
// signed-in principal and render a typed view. Every authorisation decision
// is the services'; the pages only hide buttons a role cannot use.
package web
