package dev.petrel.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlStreamReadException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads a {@link PetrelConfig} from a TOML file, or gives the embedded defaults.
 *
 * <p>Call order: read the file, parse it with Jackson (syntax errors stop here, with their line),
 * locate every key's line in the raw text, then bind and validate the tree, collecting all
 * problems before failing. The result is immutable; reloading means calling {@link #load} again.
 */
public final class ConfigLoader {
    private static final TomlMapper MAPPER = new TomlMapper();

    private ConfigLoader() {}

    /**
     * @param file the TOML file; relative paths inside it resolve against its directory
     * @throws ConfigException listing every problem, each as {@code file:line: what; how to fix}
     */
    public static PetrelConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text = read(file, name);
        TomlLocator locator = TomlLocator.scan(text);
        ObjectNode root = parse(text, name, locator);
        Path absolute = file.toAbsolutePath().normalize();
        Problems problems = new Problems(name);
        PetrelConfig config = new ConfigBinder(root, locator, problems, absolute.getParent()).bind(absolute);
        if (config == null) throw problems.toException();
        return config;
    }

    /** The embedded defaults: what an empty file gives, with paths relative to the working directory. */
    public static PetrelConfig defaults() {
        Problems problems = new Problems("(defaults)");
        Path workingDir = Path.of("").toAbsolutePath();
        PetrelConfig config = new ConfigBinder(Section.emptyTable(), TomlLocator.scan(""), problems, workingDir).bind(null);
        if (config == null) throw new IllegalStateException("the embedded defaults are invalid: " + problems.toException().getMessage());
        // Running with no config file must never send mail off the machine: every recipient of
        // every domain is captured into the test inbox (web UI on 127.0.0.1:8025), like Mailpit.
        // A config file captures nothing unless its [capture] table says so.
        return config.withCapture(config.capture().withEnabled(true));
    }

    private static String read(Path file, String name) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(name + ": is a directory, not a file (check the path given to --config)", null);
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": file not found (check the path given to --config)", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + ": is not UTF-8 text; TOML files must be saved as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read: " + e + " (check the file's permissions)", e);
        }
    }

    private static ObjectNode parse(String text, String name, TomlLocator locator) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (TomlStreamReadException e) {
            throw syntaxError(e, name, locator);
        } catch (IOException e) {
            throw new ConfigException(name + ": TOML syntax error: " + e.getMessage(), e);
        }
        // An empty file parses to an empty table (or nothing at all): every default applies.
        return root instanceof ObjectNode object ? object : Section.emptyTable();
    }

    private static ConfigException syntaxError(TomlStreamReadException e, String name, TomlLocator locator) {
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        String what = e.getOriginalMessage();
        if ("Duplicate key".equals(what) && locator.duplicateKeyLine() > 0) {
            // Jackson notices the duplicate only after reading ahead, so its position is late.
            line = locator.duplicateKeyLine();
            column = 0;
            what = "duplicate key: this key is already set earlier in the same table; keep only one";
        }
        String where = line > 0 ? ":" + line : "";
        String col = column > 0 ? " (column " + column + ")" : "";
        return new ConfigException(name + where + ": TOML syntax error" + col + ": " + what
                + "; see https://toml.io/en/v1.0.0 for the syntax", e);
    }
}
