/**
 * The Java test helper for Petrel's capture mode: a JUnit 5 extension ({@link dev.petrel.junit.PetrelInbox})
 * that starts Petrel in-process on free ports or connects to a running one, a query builder
 * ({@link dev.petrel.junit.MailQueries}, {@link dev.petrel.junit.MailQuery}) and fluent assertions on a
 * captured message ({@link dev.petrel.junit.CapturedMail}).
 *
 * <p>It talks to the inbox only over its HTTP API ({@code /api/v1}, see docs/inbox-api.md), so the same
 * test code works against a Petrel started by the test and against one running elsewhere. Waiting is
 * the server's long poll ({@code /api/v1/wait}); nothing here sleeps or polls.
 *
 * <p>Isolation: each test method gets its own inbox name (a plus-address tag, also usable as the
 * {@code X-Petrel-Inbox} header value); {@code await} and {@code clear} are scoped to it and see only
 * mail stored after the test started.
 *
 * <p>What it does not do: it never reads the inbox database or the spool directly, and it does not send
 * mail (tests use their own SMTP client or the application under test). It ships as a separate jar
 * (classifier {@code junit}); {@code inProcess()} additionally needs the main Petrel jar on the test
 * class path. Failures are {@link java.lang.AssertionError}s whose message says what was expected and
 * what the inbox held; a misused API (no test running, a bad argument) is an
 * {@link java.lang.IllegalStateException} or {@link java.lang.IllegalArgumentException}.
 */
package dev.petrel.junit;
