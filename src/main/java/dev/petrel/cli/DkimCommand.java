package dev.petrel.cli;

import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code petrel dkim ...}: manage DKIM signing keys. {@code keygen} makes a key pair, writes the
 * private key where the server's configuration will point, and prints the DNS record to publish.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true,
        description = "Manage DKIM signing keys.",
        subcommands = {DkimCommand.Keygen.class})
public final class DkimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: keygen");
    }

    /**
     * {@code petrel dkim keygen --domain D --selector S [--algorithm rsa2048|ed25519] [--dir DIR]}.
     * Exit 0 when the key was written, 1 when it could not be (it exists already, or the directory is
     * not writable), 2 for a bad command line.
     */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Generate a DKIM key pair: write the private key (PKCS#8 PEM, mode 0600) to DIR/DOMAIN.SELECTOR.pem",
                    "and print the TXT record to publish at SELECTOR._domainkey.DOMAIN."})
    static final class Keygen implements Callable<Integer> {
        enum Algorithm { rsa2048, ed25519 }

        @Spec
        CommandSpec spec;

        @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "The signing domain (d=).")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "SELECTOR", description = "The selector (s=), e.g. 2026a.")
        String selector;

        @Option(names = "--algorithm", paramLabel = "ALGORITHM", defaultValue = "rsa2048",
                description = "rsa2048 (read by every verifier; the default) or ed25519 (RFC 8463; sign with both for now).")
        Algorithm algorithm;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Where to write the key (default: the current directory).")
        Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            KeyPair pair = DkimKeys.generate(algorithm == Algorithm.ed25519 ? 0 : 2048);
            DkimSigningKey key;
            try {
                key = DkimSigningKey.of(domain, selector, pair.getPrivate());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Path file = dir.resolve(key.domain() + "." + key.selector() + ".pem");
            try {
                writePrivate(file, DkimKeys.toPem(pair.getPrivate()));
            } catch (FileAlreadyExistsException e) {
                err.println("petrel dkim keygen: " + file + " exists already; not overwriting a key that may be in use "
                        + "(choose another selector, or remove the file first)");
                return 1;
            } catch (IOException e) {
                err.println("petrel dkim keygen: cannot write " + file + ": " + e.getMessage());
                return 1;
            }
            out.println("Private key written to " + file.toAbsolutePath().normalize() + " (mode 0600).");
            out.println("Publish this TXT record, then point the server's DKIM configuration at the key file:");
            out.println(DkimKeys.zoneFileLine(key.selector(), key.domain(), DkimKeys.keyRecord(pair.getPublic())));
            out.flush();
            return 0;
        }

        /** Creates the file readable by its owner only from the start (never briefly world-readable); refuses to replace one. */
        private static void writePrivate(Path file, String pem) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
                Files.setPosixFilePermissions(file, ownerOnly); // in case a umask took bits away (it cannot add any)
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }
}
