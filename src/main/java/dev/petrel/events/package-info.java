/**
 * Planned: sealed {@code MailEvent} records (delivered, deferred, bounced, complaint) and their
 * sinks: JSON log, signed webhooks, queue pipelines. Nothing is implemented here yet.
 */
package dev.petrel.events;
