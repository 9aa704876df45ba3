package dev.petrel.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CLI's side of the admin API: finds a running server through {@code <data_dir>/admin.address}
 * and {@code admin.token}, sends one request and turns every failure into a one-line
 * {@link Refused} the operator can act on.
 */
final class AdminClient implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final Path addressFile;

    private AdminClient(String base, String token, Path addressFile) {
        this.base = base;
        this.token = token;
        this.addressFile = addressFile;
    }

    /** Reads the address and token the running server left in {@code dataDir}. */
    static AdminClient find(Path dataDir) throws Refused {
        Path addressFile = dataDir.resolve(AdminServer.ADDRESS_FILE);
        Path tokenFile = dataDir.resolve(AdminServer.TOKEN_FILE);
        String address;
        try {
            address = Files.readString(addressFile).trim();
        } catch (NoSuchFileException e) {
            throw new Refused("no running server found (no " + addressFile + "); start it with ./petrel serve");
        } catch (IOException e) {
            throw new Refused("cannot read " + addressFile + ": " + e.getMessage());
        }
        String token;
        try {
            token = Files.readString(tokenFile).trim();
        } catch (NoSuchFileException e) {
            throw new Refused("no running server found (no " + tokenFile + "); start it with ./petrel serve");
        } catch (IOException e) {
            throw new Refused("cannot read " + tokenFile + " (" + e.getMessage() + "); run as the user that runs the server");
        }
        if (!address.matches("[0-9.]+:[0-9]+|\\[[0-9A-Fa-f:.%a-z]+\\]:[0-9]+")) {
            throw new Refused(addressFile + " does not hold host:port but '" + address + "'; restart the server");
        }
        return new AdminClient("http://" + address, token, addressFile);
    }

    /** A 2xx answer's JSON body; anything else becomes a {@link Refused} with the server's reason. */
    JsonNode send(String method, String path) throws Refused {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            // kill -9 leaves the files behind: say so rather than "connection refused".
            throw new Refused("no running server at " + base.substring("http://".length()) + " (stale " + addressFile
                    + "?); start it with ./petrel serve");
        } catch (IOException e) {
            throw new Refused("request to " + base + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
        JsonNode body;
        try {
            body = AdminJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new Refused("the server answered " + response.statusCode() + " with something that is not JSON");
        }
        int status = response.statusCode();
        if (status / 100 == 2) return body;
        if (status == 401) {
            throw new Refused("the server refused the token in " + addressFile.resolveSibling(AdminServer.TOKEN_FILE)
                    + "; is admin.address from another server? restart it with ./petrel serve");
        }
        throw new Refused(body != null && body.hasNonNull("error") ? body.get("error").asText() : "the server answered " + status);
    }

    @Override
    public void close() {
        http.close();
    }

    /** A failure the operator can fix, printed as one line; exit code 1. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
