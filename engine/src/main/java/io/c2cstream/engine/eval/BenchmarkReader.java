package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one benchmark from a file or a directory of files, recognising each of the benchmark's published
 * layouts by itself. Rows that are not evaluated are counted in the result, never thrown.
 */
public interface BenchmarkReader {

    /**
     * @param path a file, or a directory whose files of the benchmark's kinds are read in name order
     * @throws IOException when the path cannot be read or a file is not of any layout of the benchmark
     */
    BenchmarkSet read(Path path) throws IOException;
}
