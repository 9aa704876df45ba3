package dev.petrel.protocol;

import dev.petrel.message.Envelope;
import dev.petrel.message.Envelope.TlsInfo;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import dev.petrel.protocol.SessionHandler.MessageSink;
import dev.petrel.protocol.SessionOutput.Action;
import dev.petrel.protocol.sasl.SaslExchange;
import dev.petrel.protocol.sasl.SaslMechanism;
import dev.petrel.protocol.sasl.SaslStep;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP server state machine for one connection (RFC 5321 with PIPELINING, SIZE, 8BITMIME,
 * SMTPUTF8, ENHANCEDSTATUSCODES, CHUNKING, STARTTLS, AUTH and DSN).
 *
 * <p>Call order: {@link #greet()} once, then {@link #receive} with each block of bytes read from
 * the client, sending back what each call returns. After a {@link Action#START_TLS} the caller
 * performs the handshake and calls {@link #tlsStarted}; bytes that followed the STARTTLS command
 * in the same block are discarded here, and the caller must not feed any plaintext it may still
 * hold. {@link #close()} releases an unfinished message. Every path through here answers with a
 * reply; no client input makes it throw.
 */
public final class ServerSession implements SessionView {
    /** RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets with its CRLF. */
    static final int MAX_COMMAND_LINE = 512;
    /** RFC 4954 section 4: an AUTH line may be up to 12288 octets. */
    static final int MAX_AUTH_LINE = 12288;
    /** Received: headers (ours included) beyond which a message is taken to be looping, as Postfix's hopcount_limit. */
    static final int MAX_HOPS = 50;
    /** The most header octets kept for {@link SessionHandler#checkMessage}, whatever the limit says. */
    static final int MAX_KEPT_HEADER = 1024 * 1024;
    private static final Set<String> NON_SMTP_VERBS = Set.of("GET", "POST", "HEAD", "PUT", "CONNECT", "OPTIONS", "USER");
    /** RFC 2920 section 3.1: commands whose reply the client must see before it sends anything more. */
    private static final Set<String> LAST_IN_GROUP = Set.of("EHLO", "HELO", "DATA", "VRFY", "EXPN", "NOOP", "HELP", "AUTH", "QUIT");

    private enum Mode { COMMAND, AUTH, DATA, BDAT, CLOSED }

    private final SessionSettings settings;
    private final SessionHandler handler;
    private final Clock clock;
    private final String sessionId;
    private final InetAddress client;

    private Mode mode = Mode.COMMAND;
    // Sized for commands; grown only for the rare long AUTH line, so idle sessions stay small.
    private byte[] line = new byte[MAX_COMMAND_LINE];
    private int lineLength;
    private boolean lineOverflow;
    private int errors;
    private int commands;
    private boolean mustWait; // the line just handled must be answered before the client sends more

    private String helo;
    private boolean esmtp;
    private TlsInfo tls;
    private String authIdentity;
    private SaslExchange saslExchange;

    // The mail transaction.
    private boolean inTransaction;
    private MailAddress sender;
    private MailParameters.Mail mailParameters;
    private final List<Recipient> recipients = new ArrayList<>();
    private boolean usedBdat;
    private ContentDecoder decoder;
    private StoringSink sink;
    private long bdatRemaining;
    private boolean bdatLast;
    private Reply bdatError;

    public ServerSession(SessionSettings settings, SessionHandler handler, Clock clock, String sessionId,
                         InetAddress client, TlsInfo implicitTls) {
        this.settings = settings;
        this.handler = handler;
        this.clock = clock;
        this.sessionId = sessionId;
        this.client = client;
        this.tls = implicitTls;
    }

    public SessionOutput greet() {
        return SessionOutput.of(List.of(Replies.greeting(settings.hostname())), Action.CONTINUE);
    }

    /** The reply for a read timeout; the caller closes the connection after sending it. */
    public SessionOutput timeout() {
        close();
        return SessionOutput.of(List.of(Replies.TIMEOUT), Action.CLOSE);
    }

    /** True while message content is expected (the caller uses the data timeout then). */
    public boolean receivingContent() {
        return mode == Mode.DATA || mode == Mode.BDAT;
    }

    /** The TLS handshake after STARTTLS succeeded: RFC 3207 section 4.2 says forget everything. */
    public void tlsStarted(TlsInfo info) {
        this.tls = info;
        helo = null;
        esmtp = false;
        authIdentity = null;
        resetTransaction();
        lineLength = 0;
        lineOverflow = false;
        mode = Mode.COMMAND;
    }

    /** Releases an unfinished message; safe to call more than once. */
    public void close() {
        if (sink != null) sink.abort();
        sink = null;
        if (mode != Mode.CLOSED) handler.closed(this);
        mode = Mode.CLOSED;
    }

    public SessionOutput receive(byte[] in, int offset, int length) {
        List<Reply> out = new ArrayList<>();
        int i = offset;
        int end = offset + length;
        Action action = Action.CONTINUE;
        while (i < end && action == Action.CONTINUE && mode != Mode.CLOSED) {
            switch (mode) {
                case DATA -> {
                    int used = decodeData(in, i, end - i);
                    if (used < 0) {
                        i = end;
                    } else {
                        i += used;
                        out.add(finishMessage("DATA"));
                    }
                }
                case BDAT -> {
                    int take = (int) Math.min(bdatRemaining, end - i);
                    decodeChunk(in, i, take);
                    i += take;
                    bdatRemaining -= take;
                    if (bdatRemaining == 0) out.add(finishChunk());
                }
                case COMMAND, AUTH -> {
                    int lf = indexOf(in, i, end, (byte) '\n');
                    int stop = lf < 0 ? end : lf;
                    appendToLine(in, i, stop - i);
                    i = lf < 0 ? end : lf + 1;
                    if (lf >= 0) action = completeLine(out);
                    if (lf >= 0 && action == Action.CONTINUE && i < end && pipelinedTooEarly()) {
                        handler.rejected(this, "pipelining", Replies.PIPELINING_VIOLATION);
                        out.add(Replies.PIPELINING_VIOLATION);
                        action = Action.CLOSE;
                    }
                }
                case CLOSED -> { }
            }
            if (errors >= settings.maxErrors() && action == Action.CONTINUE) {
                out.add(Replies.TOO_MANY_ERRORS);
                action = Action.CLOSE;
            }
        }
        if (action != Action.CONTINUE) {
            // After STARTTLS nothing the client pipelined in plaintext may be obeyed (CVE-2011-0411).
            lineLength = 0;
            lineOverflow = false;
            if (action == Action.CLOSE) close();
        }
        return SessionOutput.of(out, action);
    }

    private void appendToLine(byte[] in, int from, int count) {
        int limit = mode == Mode.AUTH || isAuthCommand(in, from, count) ? MAX_AUTH_LINE : MAX_COMMAND_LINE;
        if (limit > line.length) line = Arrays.copyOf(line, limit);
        int room = Math.max(0, Math.min(limit - lineLength, count));
        System.arraycopy(in, from, line, lineLength, room);
        lineLength += room;
        if (room < count) lineOverflow = true;
    }

    /** RFC 4954 section 4 lets an AUTH command with its initial response run to 12288 octets. */
    private boolean isAuthCommand(byte[] in, int from, int count) {
        byte[] head = new byte[5];
        int have = 0;
        for (int i = 0; i < lineLength && have < 5; i++) head[have++] = line[i];
        for (int i = from; i < from + count && have < 5; i++) head[have++] = in[i];
        return have == 5 && new String(head, StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH ");
    }

    /**
     * Postfix's smtpd_forbid_unauth_pipelining: input already here after a command that must be
     * answered first, or any pipelining by a client that was never offered PIPELINING (no EHLO),
     * comes from a client that does not read replies, which is how spam bots talk.
     */
    private boolean pipelinedTooEarly() {
        return settings.limits().forbidUnauthPipelining() && authIdentity == null && (mustWait || !esmtp);
    }

    private Action completeLine(List<Reply> out) {
        mustWait = mode == Mode.AUTH; // a SASL response waits for the next challenge or the verdict
        boolean overflow = lineOverflow;
        int len = lineLength;
        lineLength = 0;
        lineOverflow = false;
        boolean crlf = len > 0 && line[len - 1] == '\r';
        if (crlf) len--;
        boolean bareLineEnding = indexOf(line, 0, len, (byte) '\r') >= 0 || (!crlf && settings.rejectBareLineEndings());
        if (mode == Mode.AUTH && (overflow || bareLineEnding)) {
            // A broken line ends the exchange, so that the next command is not taken as SASL data.
            mode = Mode.COMMAND;
            saslExchange = null;
        }
        if (overflow) {
            return error(out, mode == Mode.AUTH ? "AUTH" : "command", Replies.LINE_TOO_LONG);
        }
        if (bareLineEnding) {
            return error(out, "command", Replies.BARE_LINE_ENDING_IN_COMMAND);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, len)).toString();
        } catch (CharacterCodingException e) {
            mode = mode == Mode.AUTH ? Mode.COMMAND : mode;
            saslExchange = null;
            return error(out, "command", Reply.of(500, "5.5.2", "Command is not valid UTF-8"));
        }
        if (mode == Mode.AUTH) return authResponse(out, text);
        return command(out, text);
    }

    private Action command(List<Reply> out, String text) {
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : text.substring(space + 1);
        mustWait = LAST_IN_GROUP.contains(verb);
        if (++commands > settings.limits().maxCommands()) {
            handler.rejected(this, verb, Replies.TOO_MANY_COMMANDS);
            out.add(Replies.TOO_MANY_COMMANDS);
            return Action.CLOSE;
        }
        return switch (verb) {
            case "EHLO" -> hello(out, args, true);
            case "HELO" -> hello(out, args, false);
            case "MAIL" -> mail(out, args);
            case "RCPT" -> rcpt(out, args);
            case "DATA" -> data(out, args);
            case "BDAT" -> bdat(out, args);
            case "RSET" -> {
                if (!args.isBlank()) yield error(out, verb, Replies.NO_ARGUMENTS_ALLOWED);
                resetTransaction();
                out.add(Replies.RESET_OK);
                yield Action.CONTINUE;
            }
            case "NOOP" -> reply(out, Replies.OK);
            case "QUIT" -> {
                out.add(Replies.BYE);
                yield Action.CLOSE;
            }
            case "VRFY" -> args.isBlank() ? error(out, verb, Reply.of(501, "5.5.4", "Syntax: VRFY address"))
                    : reply(out, Replies.VRFY);
            case "HELP" -> reply(out, Replies.HELP);
            case "STARTTLS" -> startTls(out, args);
            case "AUTH" -> auth(out, args);
            default -> {
                if (NON_SMTP_VERBS.contains(verb)) {
                    handler.rejected(this, verb, Replies.NON_SMTP_COMMAND);
                    out.add(Replies.NON_SMTP_COMMAND);
                    yield Action.CLOSE;
                }
                yield error(out, verb.isEmpty() ? "command" : "unknown", Replies.UNRECOGNIZED);
            }
        };
    }

    private Action hello(List<Reply> out, String args, boolean extended) {
        String name = args.strip();
        if (name.isEmpty() || name.contains(" ")) {
            return error(out, extended ? "EHLO" : "HELO", Replies.HELO_NEEDS_DOMAIN);
        }
        Optional<Reply> refusal = handler.checkHelo(this, name);
        if (refusal.isPresent()) return error(out, extended ? "EHLO" : "HELO", refusal.get());
        resetTransaction();
        helo = name;
        esmtp = extended;
        if (!extended) return reply(out, Replies.helo(settings.hostname()));
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        lines.add("DSN");
        if (tls == null && settings.startTlsAvailable()) lines.add("STARTTLS");
        if (tls != null && authIdentity == null && !settings.mechanisms().isEmpty()) {
            lines.add("AUTH " + String.join(" ", settings.mechanisms().stream().map(SaslMechanism::name).toList()));
        }
        return reply(out, new Reply(250, null, lines));
    }

    private Action mail(List<Reply> out, String args) {
        if (helo == null) return error(out, "MAIL", Replies.SEND_HELO_FIRST);
        if (settings.authRequired() && authIdentity == null) {
            return error(out, "MAIL", tls == null && settings.startTlsAvailable() ? Replies.STARTTLS_FIRST : Replies.AUTH_REQUIRED);
        }
        if (inTransaction) return error(out, "MAIL", Replies.NESTED_MAIL);
        String rest = stripPrefix(args, "FROM:");
        if (rest == null) return error(out, "MAIL", Replies.MAIL_SYNTAX);
        try {
            String[] pathAndParams = splitPath(rest, Replies.MAIL_SYNTAX);
            String[] params = parameters(pathAndParams[1]);
            MailParameters.Mail parsed = MailParameters.parseMail(params);
            PathParser.Path path = PathParser.parse(pathAndParams[0], true, parsed.smtpUtf8());
            if (parsed.declaredSize() > settings.maxMessageSize()) {
                return error(out, "MAIL", Replies.messageTooBig(settings.maxMessageSize()));
            }
            Optional<Reply> refusal = handler.checkSender(this, path.address());
            if (refusal.isPresent()) return error(out, "MAIL", refusal.get());
            inTransaction = true;
            sender = path.address();
            mailParameters = parsed;
            return reply(out, Replies.SENDER_OK);
        } catch (AddressSyntaxException e) {
            return error(out, "MAIL", e.reply());
        }
    }

    private String[] parameters(String text) throws AddressSyntaxException {
        String[] params = text.isBlank() ? new String[0] : text.strip().split(" +");
        if (params.length > 0 && !esmtp) throw new AddressSyntaxException(Replies.ESMTP_PARAMETER_AFTER_HELO);
        return params;
    }

    private Action rcpt(List<Reply> out, String args) {
        if (!inTransaction) return error(out, "RCPT", Replies.NEED_MAIL);
        if (recipients.size() >= settings.maxRecipients()) {
            handler.rejected(this, "RCPT", Replies.TOO_MANY_RECIPIENTS);
            return reply(out, Replies.TOO_MANY_RECIPIENTS); // not a client error: RFC 5321 4.5.3.1.10
        }
        String rest = stripPrefix(args, "TO:");
        if (rest == null) return error(out, "RCPT", Replies.RCPT_SYNTAX);
        try {
            String[] pathAndParams = splitPath(rest, Replies.RCPT_SYNTAX);
            MailParameters.Rcpt params = MailParameters.parseRcpt(parameters(pathAndParams[1]));
            PathParser.Path path = PathParser.parse(pathAndParams[0], false, mailParameters.smtpUtf8());
            MailAddress address = path.isPostmaster() ? new MailAddress("postmaster", settings.hostname()) : path.address();
            Optional<Reply> refusal = handler.checkRecipient(this, sender, address);
            if (refusal.isPresent()) return error(out, "RCPT", refusal.get());
            recipients.add(new Recipient(address, params.notifyOn(), params.orcpt()));
            return reply(out, Replies.RECIPIENT_OK);
        } catch (AddressSyntaxException e) {
            return error(out, "RCPT", e.reply());
        }
    }

    private Action data(List<Reply> out, String args) {
        if (!args.isBlank()) return error(out, "DATA", Replies.NO_ARGUMENTS_ALLOWED);
        if (!inTransaction) return error(out, "DATA", Replies.NEED_MAIL);
        if (usedBdat) return error(out, "DATA", Replies.BDAT_THEN_DATA);
        if (recipients.isEmpty()) return error(out, "DATA", Replies.NEED_RCPT);
        Reply failure = openMessage(-1);
        if (failure != null) return error(out, "DATA", failure);
        decoder = ContentDecoder.forData(settings.maxMessageSize());
        mode = Mode.DATA;
        return reply(out, Replies.START_DATA);
    }

    private Action bdat(List<Reply> out, String args) {
        String[] parts = args.strip().split(" +");
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (parts.length == 0 || parts.length > 2 || (parts.length == 2 && !last)
                || parts[0].isEmpty() || parts[0].length() > 18 || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            // The chunk's length is unknown, so the rest of the stream cannot be read in step.
            error(out, "BDAT", Replies.BDAT_SYNTAX);
            return Action.CLOSE;
        }
        bdatRemaining = Long.parseLong(parts[0]);
        bdatLast = last;
        bdatError = null;
        if (!inTransaction) {
            bdatError = Replies.NEED_MAIL;
        } else if (recipients.isEmpty()) {
            bdatError = Replies.NEED_RCPT;
        } else if (!usedBdat) {
            usedBdat = true;
            bdatError = openMessage(-1);
            if (bdatError == null) {
                decoder = ContentDecoder.forBdat(settings.maxMessageSize());
            } else {
                resetTransaction(); // the transaction failed; later chunks get 503 and are still read
            }
        }
        mode = Mode.BDAT;
        if (bdatRemaining == 0) {
            out.add(finishChunk());
        }
        return Action.CONTINUE;
    }

    private void decodeChunk(byte[] in, int offset, int length) {
        if (bdatError != null || decoder == null) return; // discarded, but still consumed
        try {
            decoder.decode(in, offset, length, sink);
        } catch (IOException e) {
            throw new IllegalStateException("StoringSink does not throw", e);
        }
    }

    private int decodeData(byte[] in, int offset, int length) {
        try {
            return decoder.decode(in, offset, length, sink);
        } catch (IOException e) {
            throw new IllegalStateException("StoringSink does not throw", e);
        }
    }

    private Reply finishChunk() {
        mode = Mode.COMMAND;
        if (bdatError != null) {
            Reply r = bdatError;
            bdatError = null;
            countError("BDAT", r);
            return r;
        }
        if (decoder.tooBig()) return finishMessage("BDAT");
        if (!bdatLast) return Replies.chunkReceived(decoder.size());
        try {
            decoder.finishChunk(sink);
        } catch (IOException e) {
            throw new IllegalStateException("StoringSink does not throw", e);
        }
        return finishMessage("BDAT");
    }

    /** Ends a message: refuse it for the reasons found while reading, or commit it. */
    private Reply finishMessage(String command) {
        mode = Mode.COMMAND;
        Reply refusal = null;
        if (decoder.tooBig()) {
            refusal = Replies.messageTooBig(settings.maxMessageSize());
        } else if (settings.rejectBareLineEndings() && decoder.sawBareLineEnding()) {
            refusal = Replies.BARE_LINE_ENDING_IN_DATA;
        } else if (settings.rejectLongLines() && decoder.sawLongLine()) {
            refusal = Replies.LINE_TOO_LONG_IN_DATA;
        } else if (sink.scanner.receivedFields() + 1 > MAX_HOPS) { // + 1: our own Received: header
            refusal = Replies.TOO_MANY_HOPS;
        } else if (sink.scanner.headerSize() > settings.limits().maxHeaderSize()) {
            refusal = Replies.headerTooBig(settings.limits().maxHeaderSize());
        } else if (sink.scanner.tooDeep()) {
            refusal = Replies.mimeTooDeep(settings.limits().maxMimeDepth());
        } else {
            refusal = handler.checkMessage(this, sink.envelope, sink.headers.headerSection()).orElse(null);
            if (refusal == null && sink.failure == null) refusal = sink.target.check().orElse(null);
        }
        StoringSink s = sink;
        sink = null;
        resetTransaction();
        if (refusal != null) {
            s.abort();
            countError(command, refusal);
            return refusal;
        }
        Reply result = s.commit();
        if (!result.isPositive()) handler.rejected(this, command, result);
        // The command limit is against sessions that talk without progress: a message accepted is
        // progress, so an app that keeps one connection open for thousands of messages is not cut off.
        else commands = 0;
        return result;
    }

    private Reply openMessage(long declaredSize) {
        Envelope envelope = new Envelope(sender, recipients, mailParameters.body(), mailParameters.smtpUtf8(),
                mailParameters.ret(), mailParameters.envId(), authIdentity, client, helo,
                settings.listenerName(), tls, clock.instant());
        try {
            MessageSink target = handler.open(this, envelope, declaredSize >= 0 ? declaredSize : mailParameters.declaredSize());
            // The collector also holds our Received: header, which the size limit does not count.
            int headerCap = (int) Math.min(Integer.MAX_VALUE - 1L, settings.limits().maxHeaderSize() + 4096L);
            sink = new StoringSink(target, envelope, new HeaderCollector(Math.min(headerCap, MAX_KEPT_HEADER)));
            byte[] received = ReceivedHeader.build(envelope, target.id(), settings.hostname(), esmtp);
            sink.write(received, 0, received.length);
            sink.scanner = new ContentScanner(settings.limits().maxMimeDepth()); // the client's content only
            return null;
        } catch (SessionHandler.StorageFullException e) {
            return Replies.SPOOL_FULL;
        } catch (IOException e) {
            return Replies.SPOOL_ERROR;
        }
    }

    private Action startTls(List<Reply> out, String args) {
        if (!args.isBlank()) return error(out, "STARTTLS", Replies.NO_ARGUMENTS_ALLOWED);
        if (tls != null) return error(out, "STARTTLS", Replies.TLS_ALREADY_ACTIVE);
        if (!settings.startTlsAvailable()) return error(out, "STARTTLS", Replies.TLS_NOT_AVAILABLE);
        out.add(Replies.READY_TO_START_TLS);
        return Action.START_TLS;
    }

    private Action auth(List<Reply> out, String args) {
        if (settings.mechanisms().isEmpty()) return error(out, "AUTH", Replies.AUTH_NOT_AVAILABLE);
        if (!esmtp) return error(out, "AUTH", Replies.SEND_EHLO_FIRST);
        if (tls == null) return error(out, "AUTH", Replies.AUTH_NEEDS_TLS);
        if (authIdentity != null) return error(out, "AUTH", Replies.AUTH_ALREADY_DONE);
        if (inTransaction) return error(out, "AUTH", Replies.AUTH_IN_TRANSACTION);
        String[] parts = args.strip().split(" +");
        if (parts[0].isEmpty() || parts.length > 2) return error(out, "AUTH", Replies.AUTH_SYNTAX);
        SaslMechanism mechanism = settings.mechanisms().stream()
                .filter(m -> m.name().equalsIgnoreCase(parts[0])).findFirst().orElse(null);
        if (mechanism == null) return error(out, "AUTH", Replies.AUTH_UNKNOWN_MECHANISM);
        Optional<Reply> refusal = handler.beforeAuth(this);
        if (refusal.isPresent()) return error(out, "AUTH", refusal.get());
        saslExchange = mechanism.start();
        byte[] initial = null;
        if (parts.length == 2) {
            initial = parts[1].equals("=") ? new byte[0] : decodeBase64(parts[1]);
            if (initial == null) return error(out, "AUTH", Replies.AUTH_BAD_BASE64);
        }
        return saslStep(out, saslExchange.respond(initial));
    }

    private Action authResponse(List<Reply> out, String text) {
        mode = Mode.COMMAND;
        if (text.equals("*")) {
            saslExchange = null;
            return error(out, "AUTH", Replies.AUTH_CANCELLED);
        }
        byte[] data = decodeBase64(text);
        if (data == null) {
            saslExchange = null;
            return error(out, "AUTH", Replies.AUTH_BAD_BASE64);
        }
        return saslStep(out, saslExchange.respond(data));
    }

    private Action saslStep(List<Reply> out, SaslStep step) {
        return switch (step) {
            case SaslStep.Challenge c -> {
                mode = Mode.AUTH;
                out.add(Replies.authChallenge(Base64.getEncoder().encodeToString(c.data())));
                yield Action.CONTINUE;
            }
            case SaslStep.Success s -> {
                saslExchange = null;
                authIdentity = s.identity();
                handler.afterAuth(this, true, s.identity());
                yield reply(out, Replies.AUTH_OK);
            }
            case SaslStep.Failure f -> {
                saslExchange = null;
                Optional<Reply> instead = handler.afterAuth(this, false, f.username());
                Reply failed = f.reason() == SaslStep.Reason.MALFORMED ? Replies.AUTH_MALFORMED : Replies.AUTH_FAILED;
                yield error(out, "AUTH", instead.orElse(failed));
            }
        };
    }

    private static byte[] decodeBase64(String s) {
        try {
            return Base64.getDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void resetTransaction() {
        if (sink != null) sink.abort();
        sink = null;
        decoder = null;
        inTransaction = false;
        sender = null;
        mailParameters = null;
        recipients.clear();
        usedBdat = false;
    }

    private static Action reply(List<Reply> out, Reply r) {
        out.add(r);
        return Action.CONTINUE;
    }

    private Action error(List<Reply> out, String command, Reply r) {
        out.add(r);
        countError(command, r);
        return Action.CONTINUE;
    }

    private void countError(String command, Reply r) {
        errors++;
        handler.rejected(this, command, r);
    }

    /** Removes a case-insensitive prefix such as {@code FROM:} and the spaces after it; null when absent. */
    private static String stripPrefix(String args, String prefix) {
        if (!args.regionMatches(true, 0, prefix, 0, prefix.length())) return null;
        return args.substring(prefix.length()).stripLeading();
    }

    /** Splits {@code <path> params} at the '>' that closes the path, skipping quoted parts. */
    private static String[] splitPath(String rest, Reply syntax) throws AddressSyntaxException {
        if (!rest.startsWith("<")) throw new AddressSyntaxException(syntax);
        boolean quoted = false;
        for (int i = 1; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                String after = rest.substring(i + 1);
                if (!after.isEmpty() && after.charAt(0) != ' ') throw new AddressSyntaxException(syntax);
                return new String[] {rest.substring(0, i + 1), after};
            }
        }
        throw new AddressSyntaxException(syntax);
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) if (a[i] == b) return i;
        return -1;
    }

    // SessionView
    @Override public String sessionId() { return sessionId; }
    @Override public InetAddress clientAddress() { return client; }
    @Override public String helo() { return helo; }
    @Override public String authIdentity() { return authIdentity; }
    @Override public TlsInfo tls() { return tls; }
    @Override public String listenerName() { return settings.listenerName(); }

    /**
     * Wraps the handler's sink so that a storage failure in the middle of a message is remembered
     * and answered once the client has finished sending, instead of breaking the stream.
     */
    private static final class StoringSink implements ContentDecoder.Sink {
        private final MessageSink target;
        private final HeaderCollector headers;
        private final Envelope envelope;
        private ContentScanner scanner;
        private IOException failure;

        StoringSink(MessageSink target, Envelope envelope, HeaderCollector headers) {
            this.target = target;
            this.envelope = envelope;
            this.headers = headers;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            headers.feed(bytes, offset, length);
            if (scanner != null) scanner.feed(bytes, offset, length);
            if (failure != null) return;
            try {
                target.write(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
            }
        }

        Reply commit() {
            if (failure != null) {
                target.abort();
                return failure instanceof SessionHandler.StorageFullException ? Replies.SPOOL_FULL : Replies.SPOOL_ERROR;
            }
            try {
                target.commit();
                return Replies.queued(target.id());
            } catch (SessionHandler.StorageFullException e) {
                return Replies.SPOOL_FULL;
            } catch (IOException e) {
                return Replies.SPOOL_ERROR;
            }
        }

        void abort() {
            target.abort();
        }
    }
}
