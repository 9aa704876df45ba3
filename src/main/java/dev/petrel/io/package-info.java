/**
 * Small file-system helpers shared by packages that keep state in the data directory (users, the
 * generated certificate, the admin token, the MTA-STS cache). Does not: know any file format, or
 * touch the spool (that is {@code queue}'s, with its own group-committed fsyncs).
 */
package dev.petrel.io;
