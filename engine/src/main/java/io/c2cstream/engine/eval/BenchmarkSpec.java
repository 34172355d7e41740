package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A benchmark to evaluate, as given on the command line: {@code FORMAT:PATH}, for example
 * {@code arc:data/arc-challenge-test.jsonl} or {@code mmlu-redux:data/mmlu-redux/}.
 *
 * @param path a file, or a directory of the format's files
 */
public record BenchmarkSpec(BenchmarkFormat format, Path path) {

    public BenchmarkSpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(path, "path");
    }

    /** @throws IllegalArgumentException when the spec has no {@code FORMAT:} prefix or names an unknown format */
    public static BenchmarkSpec parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("benchmark '" + spec + "' must be FORMAT:PATH, where FORMAT is one of "
                    + BenchmarkFormat.knownNames() + " and PATH a file or a directory of files");
        }
        return new BenchmarkSpec(BenchmarkFormat.named(spec.substring(0, colon)), Path.of(spec.substring(colon + 1)));
    }

    public BenchmarkSet read() throws IOException {
        return format.read(path);
    }

    @Override
    public String toString() {
        return format.formatName() + ":" + path;
    }
}
