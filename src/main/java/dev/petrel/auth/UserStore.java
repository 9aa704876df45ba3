package dev.petrel.auth;

import dev.petrel.io.DurableFiles;
import dev.petrel.protocol.sasl.CredentialStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users kept in a text file, one per line (lines starting with {@code #} and blank lines are
 * ignored):
 *
 * <pre>{@code username:$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>:SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>}</pre>
 *
 * The SCRAM field may be left out (the user then cannot use SCRAM-SHA-256). User names are 1-64
 * characters of {@code A-Z a-z 0-9 . _ @ + -}, matched exactly.
 *
 * <p>Reading: the file is loaded when the store is made (errors throw {@link UserFileException}
 * naming file and line), and again when its modification time, size or inode changes, checked
 * at most once per second, so {@code petrel user add} reaches a running server. A bad file on
 * reload is logged and the previous users stay.
 *
 * <p>Writing: each change re-reads the file, then writes a temporary file in the same directory
 * (mode 0600), fsyncs it, renames it over the old one and fsyncs the directory, so a crash leaves
 * either the old or the new file. Comments and line order are kept.
 */
public final class UserStore implements CredentialStore {
    private static final Logger log = LoggerFactory.getLogger(UserStore.class);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
    private static final String HEADER =
            "# Petrel users: name:argon2id-hash:SCRAM-SHA-256-verifier. Change with 'petrel user'.";

    private final Path file;
    private final PasswordHasher hasher;
    private final long checkIntervalNanos;
    private final Object reloadLock = new Object();
    private volatile Snapshot snapshot;
    private volatile long lastCheck;
    private volatile String dummyHash;

    private record User(String name, String passwordHash, ScramCredential scram) {}

    /** The loaded users and the file stamp they came from (stamp null: no file). */
    private record Snapshot(Map<String, User> users, Stamp stamp) {}

    private record Stamp(FileTime modified, long size, Object fileKey) {}

    /** Opens the users file (a missing file is an empty store). Throws UserFileException if it is bad. */
    public UserStore(Path file) {
        this(file, new PasswordHasher(), Duration.ofSeconds(1));
    }

    UserStore(Path file, PasswordHasher hasher, Duration checkInterval) {
        this.file = Objects.requireNonNull(file, "file");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.checkIntervalNanos = checkInterval.toNanos();
        Stamp stamp = stamp();
        this.snapshot = new Snapshot(load(), stamp);
        this.lastCheck = System.nanoTime();
    }

    public static boolean isValidUsername(String name) {
        return name != null && USERNAME.matcher(name).matches();
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        User user = username == null ? null : current().users.get(username);
        if (user == null || password == null) {
            // Spend the same Argon2 time as a real check so the answer's timing does not tell.
            hasher.verify(password == null ? "" : password, dummyHash());
            return false;
        }
        return hasher.verify(password, user.passwordHash);
    }

    @Override
    public Optional<ScramCredential> scramSha256(String username) {
        User user = username == null ? null : current().users.get(username);
        return user == null ? Optional.empty() : Optional.ofNullable(user.scram);
    }

    public boolean contains(String username) {
        return current().users.containsKey(username);
    }

    /** User names in file order. */
    public List<String> usernames() {
        return List.copyOf(current().users.keySet());
    }

    /** Adds a user; false if the name is taken. Throws IllegalArgumentException for a bad name or empty password. */
    public synchronized boolean add(String username, String password) {
        checkUsername(username);
        List<String> lines = readLines();
        if (parse(lines).containsKey(username)) {
            return false;
        }
        if (lines.isEmpty()) {
            lines.add(HEADER);
        }
        lines.add(line(username, password));
        write(lines);
        return true;
    }

    /** Replaces a user's password (both hash and SCRAM verifier); false if there is no such user. */
    public synchronized boolean setPassword(String username, String password) {
        checkUsername(username);
        String replacement = line(username, password);
        return rewrite(username, replacement);
    }

    /** Removes a user; false if there is no such user. */
    public synchronized boolean remove(String username) {
        checkUsername(username);
        return rewrite(username, null);
    }

    private boolean rewrite(String username, String replacement) {
        List<String> lines = readLines();
        User user = parse(lines).get(username);
        if (user == null) {
            return false;
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (username.equals(nameOf(line))) {
                if (replacement != null) {
                    out.add(replacement);
                }
            } else {
                out.add(line);
            }
        }
        write(out);
        return true;
    }

    private String line(String username, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        return username + ":" + hasher.hash(password) + ":" + ScramCredentials.format(ScramCredentials.derive(password));
    }

    private static void checkUsername(String username) {
        if (!isValidUsername(username)) {
            throw new IllegalArgumentException("invalid user name '" + username
                    + "': use 1-64 characters of A-Z a-z 0-9 . _ @ + -");
        }
    }

    private Snapshot current() {
        long now = System.nanoTime();
        if (now - lastCheck >= checkIntervalNanos) {
            synchronized (reloadLock) {
                if (now - lastCheck >= checkIntervalNanos) {
                    lastCheck = now;
                    reloadIfChanged();
                }
            }
        }
        return snapshot;
    }

    private void reloadIfChanged() {
        Stamp stamp;
        try {
            stamp = stamp();
        } catch (UserFileException e) {
            log.warn("{}; keeping the previous users", e.getMessage());
            return;
        }
        if (Objects.equals(stamp, snapshot.stamp)) {
            return;
        }
        try {
            Map<String, User> users = load();
            snapshot = new Snapshot(users, stamp);
            log.info("reloaded {}: {} users", file, users.size());
        } catch (UserFileException e) {
            // Remember the bad stamp so the warning comes once per change, not once per second.
            snapshot = new Snapshot(snapshot.users, stamp);
            log.warn("{}; keeping the previous users", e.getMessage());
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UserFileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Map<String, User> load() {
        return Collections.unmodifiableMap(parse(readLines()));
    }

    private List<String> readLines() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new UserFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserFileException(file + ": not valid UTF-8");
        }
        return new ArrayList<>(text.lines().toList());
    }

    private static String nameOf(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return null;
        }
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    private Map<String, User> parse(List<String> lines) {
        Map<String, User> users = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            // The PHC hash has no ':'; the SCRAM verifier has two, so split into at most 3 fields.
            String[] fields = line.split(":", 3);
            if (fields.length < 2) {
                throw error(number, "expected name:argon2id-hash[:SCRAM-SHA-256-verifier]");
            }
            String name = fields[0];
            if (!isValidUsername(name)) {
                throw error(number, "invalid user name '" + name + "': use 1-64 characters of A-Z a-z 0-9 . _ @ + -");
            }
            if (firstLine.containsKey(name)) {
                throw error(number, "user '" + name + "' is already defined on line " + firstLine.get(name)
                        + "; remove one of the two");
            }
            try {
                PasswordHasher.checkFormat(fields[1]);
            } catch (IllegalArgumentException e) {
                throw error(number, "bad password hash for '" + name + "': " + e.getMessage()
                        + " (make a new one with 'petrel user passwd " + name + "')");
            }
            ScramCredential scram = null;
            if (fields.length == 3 && !fields[2].isEmpty()) {
                try {
                    scram = ScramCredentials.parse(fields[2]);
                } catch (IllegalArgumentException e) {
                    throw error(number, "bad SCRAM-SHA-256 verifier for '" + name + "': " + e.getMessage()
                            + " (make a new one with 'petrel user passwd " + name + "')");
                }
            }
            firstLine.put(name, number);
            users.put(name, new User(name, fields[1], scram));
        }
        return users;
    }

    private UserFileException error(int line, String what) {
        return new UserFileException(file + ":" + line + ": " + what);
    }

    private void write(List<String> lines) {
        Path dir = file.toAbsolutePath().getParent();
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            DurableFiles.replace(file, bytes, "rw-------");
        } catch (NoSuchFileException e) {
            throw new UserFileException(file + ": cannot write: directory " + dir + " does not exist", e);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UserFileException(file + ": cannot replace atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserFileException(file + ": cannot write: " + e.getMessage(), e);
        }
        synchronized (reloadLock) {
            snapshot = new Snapshot(load(), stamp());
        }
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hasher.hash("petrel-dummy-password");
            dummyHash = hash;
        }
        return hash;
    }
}
