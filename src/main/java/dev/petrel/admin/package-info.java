/**
 * Planned (issue "Relay", queue control): the local HTTP admin API (queue list, flush, hold,
 * release, delete), health and metrics. Nothing is implemented here yet.
 */
package dev.petrel.admin;
