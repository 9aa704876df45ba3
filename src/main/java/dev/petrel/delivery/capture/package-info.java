/**
 * Capture mode's transport: recipients routed to {@code Route.Capture} are stored in the test
 * inbox ({@code dev.petrel.inbox}) instead of being sent, grouped into named inboxes by
 * {@link dev.petrel.delivery.capture.InboxRules}. Sends nothing over the network and serves
 * nothing: the inbox's HTTP API and UI are started by the assembly ({@code cli.Petrel}).
 */
package dev.petrel.delivery.capture;
