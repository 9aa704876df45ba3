/**
 * Configuration: loads one immutable {@link dev.petrel.config.PetrelConfig} snapshot from a TOML
 * file ({@link dev.petrel.config.ConfigLoader}), with the embedded defaults for every key that is
 * not set, and the {@code check-config} command ({@link dev.petrel.config.ConfigCommand}).
 *
 * <p>Does: parse, apply defaults, resolve relative paths against the config file's directory,
 * validate types, ranges and cross-field rules, and report every problem at once as
 * {@code file:line: what is wrong; how to fix it}. Does not: open sockets, create directories,
 * generate certificates, read the user file or resolve host names (listener hosts must be numeric
 * IPs or {@code localhost}), so loading is fast, side-effect free and safe to repeat for reload.
 * Relay host names in delivery routes are kept as written, to be looked up at delivery time.
 * It does check that configured certificate files exist, and reads a relay's
 * {@code password_file}, because a missing file is a configuration mistake best reported before
 * the server starts.
 *
 * <p>Threading: loading is a pure function of the file; snapshots are immutable and may be shared.
 *
 * <p>Files: {@code ConfigLoader} (entry point) reads and parses; {@code TomlLocator} finds lines,
 * since Jackson's TOML tree keeps none; {@code ConfigBinder} holds the defaults and rules;
 * {@code DeliveryBinder} the same for the delivery-side tables; {@code Section} does typed reads
 * of one table; {@code Problems} collects errors; {@code Units}, {@code HostPort}
 * and {@code ListenerAddress} parse sizes, durations and addresses.
 */
package dev.petrel.config;
