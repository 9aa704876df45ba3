/**
 * Planned (issue "Capture mode"): the test inbox: stored messages, search, wait-for, HTTP API and
 * web UI. Nothing is implemented here yet.
 */
package dev.petrel.inbox;
