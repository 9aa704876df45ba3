package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The durable spool: one file per message under {@code <root>/queue/}, written first under
 * {@code <root>/tmp/} and renamed into place only after it is fsync'ed. Layout of a file:
 * {@link SpoolFileFormat}.
 *
 * <p>Why this is crash-safe: a file in {@code queue/} got there by an atomic rename after its
 * bytes were forced to disk, and {@link SpoolWriter#commit()} returns only after the
 * {@code queue/} directory itself was fsync'ed, so the rename survives a crash too. Anything left
 * in {@code tmp/} was never acknowledged and is deleted on start.
 *
 * <p>Directory fsyncs are shared between concurrent commits ({@link GroupDirectorySync}); file
 * fsyncs run in each session's thread, in parallel, because the disk does several times more
 * fsyncs per second from many threads than from one.
 *
 * <p>One process per spool directory: a second instance would delete the first one's
 * unfinished messages from {@code tmp/} when it starts.
 */
public final class FileSpool implements Spool {
    /** Free space kept in reserve by default, like Postfix's {@code queue_minfree}. */
    public static final long DEFAULT_RESERVE_BYTES = 64L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FileSpool.class);
    private static final int ID_ATTEMPTS = 10;
    private static final String STATUS_SUFFIX = ".status";
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path tmp;
    private final Path queue;
    private final long reserveBytes;
    private final FileStore store;
    private final FileAttribute<?>[] privateFile;
    private final GroupDirectorySync queueSync;
    private final LongAdder commits = new LongAdder();
    private final Path root;
    private java.nio.channels.FileLock lock;

    /** Opens (creating if needed) the spool under {@code root} with the default reserve. */
    public FileSpool(Path root) throws IOException {
        this(root, DEFAULT_RESERVE_BYTES);
    }

    /**
     * Opens (creating if needed) the spool under {@code root}, removing unfinished messages left in
     * {@code tmp/} by an earlier run.
     *
     * @param reserveBytes free space that must remain after a message is accepted
     */
    public FileSpool(Path root, long reserveBytes) throws IOException {
        this(root, reserveBytes, false);
    }

    /**
     * Opens the spool for a server: with {@code exclusive}, the spool is claimed for this process
     * (see {@link #lockExclusively()}) before anything in it is touched.
     */
    public FileSpool(Path root, long reserveBytes, boolean exclusive) throws IOException {
        if (reserveBytes < 0) throw new IllegalArgumentException("reserve must not be negative: " + reserveBytes);
        Path absRoot = root.toAbsolutePath().normalize();
        this.tmp = absRoot.resolve("tmp");
        this.queue = absRoot.resolve("queue");
        this.reserveBytes = reserveBytes;
        boolean posix = absRoot.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Mail is private: only the server's user may read the spool.
        this.privateFile = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        FileAttribute<?>[] privateDir = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        createDurably(absRoot, privateDir);
        createDurably(tmp, privateDir);
        createDurably(queue, privateDir);
        this.root = absRoot;
        this.store = Files.getFileStore(absRoot);
        this.queueSync = new GroupDirectorySync(queue);
        if (exclusive) lockExclusively();
        removeUnfinished();
        removeOrphanStatus();
    }

    @Override
    public SpoolWriter create(Envelope envelope, long expectedSize) throws IOException {
        long expected = Math.max(0, expectedSize); // -1 or 0 when the client gave no SIZE
        long usable = store.getUsableSpace();
        if (usable - expected < reserveBytes) {
            throw new SpoolFullException("spool " + queue.getParent() + " has " + usable + " octets free; accepting "
                    + expected + " more would leave less than the reserve of " + reserveBytes);
        }
        // Encode before creating the file so that a bad envelope leaves nothing behind.
        byte[] header = SpoolFileFormat.header(envelope);
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            QueueId id = QueueId.generate(System.currentTimeMillis());
            // CREATE_NEW in tmp/ reserves the id among messages in progress; the check of queue/
            // keeps a new message from replacing a committed one with the same id.
            if (Files.exists(queueFile(id))) continue;
            FileChannel channel;
            try {
                channel = FileChannel.open(tmpFile(id), CREATE_NEW, privateFile);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw full(e, id);
            }
            return new FileSpoolWriter(this, id, channel, header);
        }
        throw new IOException("could not find an unused queue id in " + ID_ATTEMPTS + " attempts");
    }

    @Override
    public boolean hasRoomFor(long size) {
        try {
            return store.getUsableSpace() - Math.max(0, size) >= reserveBytes;
        } catch (IOException e) {
            log.warn("cannot read free space of spool {}: {}", queue.getParent(), e.toString());
            return false;
        }
    }

    @Override
    public List<QueueId> list() throws IOException {
        List<QueueId> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                // Other names are reserved for records kept beside a message (e.g. delivery status).
                if (QueueId.isValid(name)) ids.add(new QueueId(name));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    @Override
    public SpooledMessage read(QueueId id) throws IOException {
        Path file = queueFile(id);
        return SpoolFileFormat.parse(id, file, Files.readAllBytes(file));
    }

    @Override
    public void appendStatus(QueueId id, List<String> records) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String record : records) {
            if (record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a status record is one line");
            }
            text.append(record).append('\n');
        }
        Path file = statusFile(id);
        boolean created = !Files.exists(file);
        byte[] line = text.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), privateFile)) {
            long end = ch.size();
            // A crash may have torn the last line; start on a fresh line so this record stays whole.
            if (end > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, end - 1);
                if (last.get(0) != '\n') line = ("\n" + text).getBytes(StandardCharsets.UTF_8);
            }
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) end += ch.write(b, end);
            ch.force(false);
        } catch (IOException e) {
            throw full(e, id);
        }
        // A new file's directory entry must be durable too, or the whole log could vanish.
        if (created) queueSync.sync();
    }

    @Override
    public List<String> readStatus(QueueId id) throws IOException {
        Path file = statusFile(id);
        if (!Files.exists(file)) return List.of();
        // Lenient decoding: a torn multi-byte character must not make the log unreadable.
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        // The last element is "" after a complete final line, or a torn line cut by a crash.
        lines.removeLast();
        return lines;
    }

    @Override
    public void remove(QueueId id) throws IOException {
        Files.deleteIfExists(queueFile(id));
        // The message must be durably gone before its status log goes: otherwise a crash could
        // bring back the message without the record of who already has it.
        queueSync.sync();
        Files.deleteIfExists(statusFile(id));
    }

    /**
     * Claims the spool for this process until {@link #close()}: two servers on one spool would
     * deliver everything twice, and each would delete the other's unfinished messages at start.
     * The server calls this; tools and tests that only read the spool do not.
     */
    public synchronized void lockExclusively() throws IOException {
        if (lock != null) return;
        Path file = root.resolve("lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException("the spool " + root + " is in use by another Petrel process"
                    + " (stop it first, or give this one its own data_dir)");
        }
        lock = l;
    }

    /** Releases the lock taken by {@link #lockExclusively()}, if any. */
    public synchronized void close() throws IOException {
        if (lock != null) lock.channel().close();
        lock = null;
    }

    /** Deletes status logs whose message is gone (a crash between the two deletions of remove()). */
    private void removeOrphanStatus() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue, "*" + STATUS_SUFFIX)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - STATUS_SUFFIX.length());
                if (QueueId.isValid(id) && !Files.exists(queue.resolve(id))) Files.deleteIfExists(p);
            }
        }
    }

    Path statusFile(QueueId id) {
        return queue.resolve(id.value() + STATUS_SUFFIX);
    }

    /** Messages committed by this instance (for tests and metrics). */
    public long commitCount() {
        return commits.sum();
    }

    /** fsyncs of the queue directory done by this instance; below {@link #commitCount()} when commits were grouped. */
    public long directorySyncCount() {
        return queueSync.syncCount();
    }

    /** The directory holding committed messages. */
    public Path queueDirectory() {
        return queue;
    }

    Path tmpFile(QueueId id) {
        return tmp.resolve(id.value());
    }

    Path queueFile(QueueId id) {
        return queue.resolve(id.value());
    }

    /** Makes every rename into queue/ done before this call durable. */
    void syncQueueDirectory() throws IOException {
        queueSync.sync();
    }

    void committed() {
        commits.increment();
    }

    /** A full disk becomes {@link SpoolFullException} (452 4.3.1); other errors pass unchanged. */
    static IOException full(IOException e, QueueId id) {
        if (e instanceof SpoolFullException) return e;
        String m = e.getMessage();
        if (m != null && m.contains("No space left on device")) {
            return new SpoolFullException(id + ": spool file system is full", e);
        }
        return e;
    }

    private void removeUnfinished() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path p : entries) {
                try {
                    Files.delete(p);
                    removed++;
                } catch (IOException e) {
                    log.warn("cannot remove unfinished spool file {}: {}", p, e.toString());
                }
            }
        }
        if (removed > 0) {
            log.info("spool {}: removed {} unfinished message(s) left in tmp/ by an earlier run", queue.getParent(), removed);
        }
    }

    /**
     * Creates {@code dir} if missing and fsyncs it and its parent, so that the directory entry
     * survives a crash. Done every start: it is cheap, and repairs a start that crashed midway.
     */
    private static void createDurably(Path dir, FileAttribute<?>[] attrs) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) createDurably(parent, new FileAttribute<?>[0]);
            try {
                Files.createDirectory(dir, attrs);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) throw e;
            }
        }
        GroupDirectorySync.fsyncDirectory(dir);
        if (dir.getParent() != null) GroupDirectorySync.fsyncDirectory(dir.getParent());
    }
}
