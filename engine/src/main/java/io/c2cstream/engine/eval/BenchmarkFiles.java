package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The files a benchmark path stands for: the file itself, or a directory's files of the benchmark's kinds. */
final class BenchmarkFiles {

    private BenchmarkFiles() {}

    /**
     * @param extensions lower-case extensions without the dot, such as {@code "jsonl"}; used only to pick files
     *                   out of a directory (a file named explicitly is read whatever its name)
     */
    static List<Path> list(Path path, String benchmark, String... extensions) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(path.toString(), null, benchmark + " benchmark path does not exist");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(path)) {
            files = entries.filter(Files::isRegularFile)
                    .filter(file -> List.of(extensions).contains(extension(file)))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new NoSuchFileException(path.toString(), null,
                    "no " + benchmark + " files here; expected files ending in ." + String.join(", .", extensions));
        }
        return files;
    }

    /** The file name without its last extension: {@code astronomy.jsonl} gives {@code astronomy}. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
