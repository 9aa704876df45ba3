/**
 * The command line: {@code petrel serve}, {@code check-config} and {@code user} (picocli).
 *
 * <p>Does: parse arguments, load the config, assemble the server from its parts and run it
 * until SIGTERM/SIGINT. Does not: hold any logic of its own beyond that wiring; each command's
 * work lives in the package it belongs to.
 */
package dev.petrel.cli;
