package dev.petrel.inbox;

/**
 * One mailbox from an address header, as Mailpit shows it: display name (decoded, may be empty)
 * and address.
 */
public record MailboxAddress(String name, String address) {
    public MailboxAddress {
        name = name == null ? "" : name;
        address = address == null ? "" : address;
    }
}
