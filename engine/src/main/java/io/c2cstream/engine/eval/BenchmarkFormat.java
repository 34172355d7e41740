package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The benchmark formats the evaluator reads, by the name a {@code FORMAT:PATH} spec uses. */
public enum BenchmarkFormat {
    ARC(ArcReader.BENCHMARK, new ArcReader()),
    OPENBOOKQA(OpenBookQaReader.BENCHMARK, new OpenBookQaReader()),
    MMLU_REDUX(MmluReduxReader.BENCHMARK, new MmluReduxReader()),
    CEVAL(CevalReader.BENCHMARK, new CevalReader());

    private final String formatName;
    private final BenchmarkReader reader;

    BenchmarkFormat(String formatName, BenchmarkReader reader) {
        this.formatName = formatName;
        this.reader = reader;
    }

    /** The name in specs and reports, such as {@code mmlu-redux}. */
    public String formatName() {
        return formatName;
    }

    public BenchmarkSet read(Path path) throws IOException {
        return reader.read(path);
    }

    /** @throws IllegalArgumentException naming the known formats when {@code name} is none of them */
    public static BenchmarkFormat named(String name) {
        return Arrays.stream(values())
                .filter(format -> format.formatName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown benchmark format '" + name + "'; known formats: " + knownNames()));
    }

    /** The known names, comma-separated, for messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(BenchmarkFormat::formatName).collect(Collectors.joining(", "));
    }
}
