/**
 * Users who may log in with SMTP AUTH: the users file, password hashing and the {@code user} command.
 *
 * <p>Does: hash passwords with Argon2id (PHC strings, {@link dev.petrel.auth.PasswordHasher}),
 * derive SCRAM-SHA-256 verifiers ({@link dev.petrel.auth.ScramCredentials}), keep users in a text
 * file ({@link dev.petrel.auth.UserStore}, the server's {@code CredentialStore}) that is rewritten
 * atomically and reloaded when it changes, and manage it from the command line
 * ({@link dev.petrel.auth.UserCommand}).
 *
 * <p>Does not: speak SASL (that is {@code protocol.sasl}), rate-limit failed logins (policy), or
 * decide which identity may use which sender address (policy). Never logs a password or a hash.
 *
 * <p>Threading: {@code UserStore} is safe for many readers; writers in one process are
 * serialised, but two processes writing the same file at once may lose one change (the last
 * rename wins). Failure modes: a bad users file at startup throws {@link
 * dev.petrel.auth.UserFileException} naming the file and line; a bad file on reload is logged
 * and the previous users stay in force.
 */
package dev.petrel.auth;
