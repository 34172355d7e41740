package io.c2cstream.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the third-party conformance data (real tokenizers, checkpoints, benchmarks) named by the
 * environment variable {@code C2C_REALDATA}. The data never enters the repository: a test that
 * needs it calls these methods first and is skipped, with a message saying why, where it is absent.
 */
public final class RealData {

    public static final String ENV = "C2C_REALDATA";

    private RealData() {}

    /**
     * The real-data root directory; skips the calling test when it is not configured. A relative path is taken
     * from the repository root, where the README's command and {@code .ci/run} run, not from the module
     * directory a test runs in.
     */
    public static Path dir() {
        String root = System.getenv(ENV);
        assumeTrue(root != null && !root.isBlank(), ENV + " not set: skipping real-data test");
        Path dir = repositoryRoot().resolve(root).normalize();
        assumeTrue(Files.isDirectory(dir), ENV + "=" + root + " (" + dir + ") is not a directory: skipping real-data"
                + " test");
        return dir;
    }

    /** The nearest directory at or above the working directory that holds {@code .ci/run}. */
    static Path repositoryRoot() {
        Path working = Path.of("").toAbsolutePath();
        for (Path p = working; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci").resolve("run"))) {
                return p;
            }
        }
        return working;
    }

    /** A real tokenizer directory such as {@code tokenizers/qwen3}; skips when it is absent. */
    public static Path tokenizer(String name) {
        return resolve("tokenizers/" + name);
    }

    /** A file or directory below the real-data root; skips the calling test when it is absent. */
    public static Path resolve(String relativePath) {
        Path path = dir().resolve(relativePath);
        assumeTrue(Files.exists(path), path + " not found under " + ENV + ": skipping real-data test");
        return path;
    }
}
