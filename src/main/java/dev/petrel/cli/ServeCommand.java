package dev.petrel.cli;

import dev.petrel.config.ConfigException;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code petrel serve}: runs the SMTP listeners in the foreground until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Petrel in the foreground. Without --config: safe embedded defaults on 127.0.0.1 "
                + "(SMTP 2525, submission 2587 with STARTTLS, submissions 2465), data in ./petrel-data, and capture mode: "
                + "every message is kept in the test inbox (web UI and API on http://127.0.0.1:8025), nothing leaves the machine.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("petrel");

    @Option(names = "--config", paramLabel = "FILE", description = "The TOML config file (see docs/configuration.md).")
    Path config;

    @Override
    public Integer call() throws Exception {
        PetrelConfig cfg;
        try {
            cfg = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        log.info("Petrel starting: config={}, data_dir={}, hostname={}",
                cfg.source() == null ? "(embedded defaults)" : cfg.source(), cfg.server().dataDir().toAbsolutePath(),
                cfg.server().hostname());
        Petrel petrel;
        try {
            petrel = Petrel.start(cfg);
        } catch (IOException e) {
            System.err.println("petrel serve: " + e.getMessage());
            return 1;
        }
        if (petrel.users().usernames().isEmpty()) {
            log.info("no users yet: add one with ./petrel user add NAME{} to use submission",
                    config == null ? "" : " --config " + config);
        }
        log.info("Petrel ready: {} messages in the queue", petrel.spool().list().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Petrel stopping");
            petrel.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
