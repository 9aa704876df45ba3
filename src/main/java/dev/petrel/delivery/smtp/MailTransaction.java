package dev.petrel.delivery.smtp;

import dev.petrel.delivery.Delivery;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import dev.petrel.protocol.ClientReply;
import dev.petrel.protocol.DotStuffer;
import dev.petrel.protocol.EhloCapabilities;
import dev.petrel.protocol.Xtext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One message over a ready connection: MAIL FROM, RCPT TO for each recipient, DATA, the
 * dot-stuffed content, and the final reply (SMTP: one for all accepted recipients; LMTP, RFC 2033:
 * one per accepted recipient). With PIPELINING (RFC 2920), MAIL, every RCPT and DATA go in one
 * write and the replies are read in order.
 *
 * <p>Before anything is sent: recipients whose addresses (or the sender's) need SMTPUTF8 fail
 * permanently with 5.6.7 when the server lacks it, and a message over the server's SIZE limit
 * fails with 5.3.4. ESMTP parameters are sent only when announced: SIZE, BODY=8BITMIME,
 * SMTPUTF8, and the DSN ones (RET, ENVID, NOTIFY, ORCPT). 8-bit content to a server without
 * 8BITMIME is sent anyway, as Postfix does (nearly every server copes; the alternative, MIME
 * down-conversion, can break signatures). BINARYMIME content also goes over DATA, as 8BITMIME.
 *
 * <p>A failed transaction leaves the connection reset (RSET) and reusable when the server is still
 * in step; a 421 reply or an I/O error makes it unusable.
 */
final class MailTransaction {
    /**
     * @param statuses    one per recipient of the delivery, in order
     * @param reusable    the connection is in a clean state for another MAIL FROM
     * @param staleAtMail the connection broke (I/O error or 421) before MAIL FROM got its reply:
     *                    nothing was done, so a reused connection may be replaced by a fresh one
     */
    record Result(List<DeliveryStatus> statuses, boolean reusable, boolean staleAtMail) {}

    /** The server said 421: it is closing the connection. */
    private static final class Closing extends Exception {
        final ClientReply reply;

        Closing(ClientReply reply) {
            super(reply.verbatim(), null, false, false);
            this.reply = reply;
        }
    }

    private final SmtpConnection c;
    private final Delivery delivery;
    private final ClientSettings settings;
    private final boolean lmtp;
    private final String relay;
    private final DeliveryStatus[] results;
    private boolean mailAnswered;

    private MailTransaction(SmtpConnection c, Delivery delivery, ClientSettings settings, boolean lmtp) {
        this.c = c;
        this.delivery = delivery;
        this.settings = settings;
        this.lmtp = lmtp;
        this.relay = c.target().toString();
        this.results = new DeliveryStatus[delivery.recipients().size()];
    }

    static Result run(SmtpConnection c, Delivery delivery, ClientSettings settings, boolean lmtp) {
        return new MailTransaction(c, delivery, settings, lmtp).run();
    }

    private Result run() {
        List<Integer> toSend = refuseUnsendable();
        if (toSend.isEmpty()) return result(true);
        try {
            return result(transact(toSend));
        } catch (Closing e) {
            fillUnresolved(r -> Statuses.fromReply(r, e.reply, relay));
            c.close();
            return new Result(List.of(results), false, !mailAnswered);
        } catch (IOException e) {
            String text = c.describe(e);
            String dsn = SmtpConnection.dsnOf(e);
            fillUnresolved(r -> Statuses.temporary(r, dsn, text, relay, false));
            c.close();
            return new Result(List.of(results), false, !mailAnswered);
        }
    }

    /** Fails what this server cannot take at all; returns the indexes of the recipients to send. */
    private List<Integer> refuseUnsendable() {
        EhloCapabilities caps = c.capabilities();
        Envelope env = delivery.envelope();
        byte[] content = delivery.content();
        boolean senderNeedsUtf8 = env.sender() != null && env.sender().needsSmtpUtf8();
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            MailAddress rcpt = delivery.recipients().get(i).address();
            if (!caps.smtpUtf8() && (senderNeedsUtf8 || rcpt.needsSmtpUtf8())) {
                results[i] = DeliveryStatus.permanent(rcpt, "5.6.7", "host " + relay
                        + " does not support SMTPUTF8, which the address " + (senderNeedsUtf8 ? "<" + env.senderText() + ">"
                        : "<" + rcpt + ">") + " needs", relay);
            } else if (caps.sizeLimit() > 0 && content.length > caps.sizeLimit()) {
                results[i] = DeliveryStatus.permanent(rcpt, "5.3.4", "message size " + content.length
                        + " exceeds size limit " + caps.sizeLimit() + " of server " + relay, relay);
            } else {
                toSend.add(i);
            }
        }
        return toSend;
    }

    /** @return whether the connection ended in a clean state */
    private boolean transact(List<Integer> toSend) throws IOException, Closing {
        boolean pipelining = c.capabilities().pipelining();
        List<String> rcptCommands = toSend.stream().map(i -> rcptCommand(delivery.recipients().get(i))).toList();
        c.phase("sending MAIL FROM");
        if (pipelining) {
            List<String> batch = new ArrayList<>();
            batch.add(mailCommand());
            batch.addAll(rcptCommands);
            batch.add("DATA");
            c.send(batch.toArray(String[]::new));
        } else {
            c.send(mailCommand());
        }
        ClientReply mail = read();
        mailAnswered = true;
        if (!mail.isPositive()) {
            for (int i : toSend) results[i] = status(i, mail);
            if (pipelining) {
                for (int n = 0; n < toSend.size(); n++) read();
                if (read().code() == 354) return false; // a confused server; drop it rather than send an empty message
            }
            return reset();
        }
        List<Integer> accepted = new ArrayList<>();
        for (int k = 0; k < toSend.size(); k++) {
            int i = toSend.get(k);
            if (!pipelining) {
                c.phase("sending RCPT TO");
                c.send(rcptCommands.get(k));
            }
            ClientReply reply = read();
            if (reply.isPositive()) accepted.add(i);
            else results[i] = status(i, reply);
        }
        ClientReply data;
        if (pipelining) {
            c.phase("sending DATA");
            data = read();
        } else {
            if (accepted.isEmpty()) return reset();
            c.phase("sending DATA");
            c.send("DATA");
            data = read();
        }
        if (accepted.isEmpty()) {
            // RFC 2920 section 3.1: DATA must then fail; a server that says 354 anyway is dropped.
            return data.code() != 354 && reset();
        }
        if (data.code() != 354) {
            // Any other positive answer to DATA is a broken server: no content went over, so the
            // message cannot count as delivered.
            ClientReply failure = data.code() < 400
                    ? ClientReply.of(451, List.of("4.5.0 unexpected reply to DATA: " + data.verbatim())) : data;
            for (int i : accepted) results[i] = status(i, failure);
            return reset();
        }
        c.phase("sending message content");
        c.write(DotStuffer.encode(delivery.content()));
        c.phase("sending end of data -- message may be sent more than once");
        if (lmtp) {
            for (int i : accepted) results[i] = status(i, readFinal());
        } else {
            ClientReply end = readFinal();
            for (int i : accepted) results[i] = status(i, end);
        }
        c.countMessage();
        return true;
    }

    private String mailCommand() {
        EhloCapabilities caps = c.capabilities();
        Envelope env = delivery.envelope();
        StringBuilder sb = new StringBuilder("MAIL FROM:<").append(env.senderText()).append('>');
        if (caps.size()) sb.append(" SIZE=").append(delivery.content().length);
        if (env.body() != Envelope.BodyType.SEVEN_BIT && caps.eightBitMime()) sb.append(" BODY=8BITMIME");
        if (env.smtpUtf8() && caps.smtpUtf8()) sb.append(" SMTPUTF8");
        if (caps.dsn()) {
            if (env.ret() != null) sb.append(" RET=").append(env.ret().name());
            if (env.envId() != null) sb.append(" ENVID=").append(Xtext.encode(env.envId()));
        }
        return sb.toString();
    }

    private String rcptCommand(Recipient r) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
        if (c.capabilities().dsn()) {
            if (!r.notifyOn().isEmpty()) {
                sb.append(" NOTIFY=").append(Arrays.stream(Recipient.Notify.values())
                        .filter(r.notifyOn()::contains).map(Enum::name).collect(Collectors.joining(",")));
            }
            int semi = r.orcpt() == null ? -1 : r.orcpt().indexOf(';');
            if (semi > 0) {
                sb.append(" ORCPT=").append(r.orcpt(), 0, semi).append(';')
                        .append(Xtext.encode(r.orcpt().substring(semi + 1)));
            }
        }
        return sb.toString();
    }

    private ClientReply read() throws IOException, Closing {
        return closing(c.read(settings.commandTimeout()));
    }

    /** The reply after the final dot may take long: the server may scan the message first. */
    private ClientReply readFinal() throws IOException, Closing {
        return closing(c.read(settings.dataTimeout()));
    }

    private static ClientReply closing(ClientReply reply) throws Closing {
        if (reply.code() == 421) throw new Closing(reply);
        return reply;
    }

    /** RSET after a failed transaction; true when the server confirmed, so the connection is clean. */
    private boolean reset() {
        try {
            c.phase("sending RSET");
            c.send("RSET");
            return c.read(settings.commandTimeout()).isPositive();
        } catch (IOException e) {
            return false;
        }
    }

    private DeliveryStatus status(int i, ClientReply reply) {
        DeliveryStatus s = Statuses.fromReply(delivery.recipients().get(i).address(), reply, relay);
        // LMTP delivers into the mailbox; an SMTP server reports success itself only if it took NOTIFY (DSN).
        if (lmtp) return s;
        return s.withHandoff(c.capabilities().dsn() ? DeliveryStatus.Handoff.DSN_PASSED_ON : DeliveryStatus.Handoff.RELAYED);
    }

    private void fillUnresolved(Function<MailAddress, DeliveryStatus> f) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) results[i] = f.apply(delivery.recipients().get(i).address());
        }
    }

    private Result result(boolean reusable) {
        return new Result(List.of(results), reusable, false);
    }
}
