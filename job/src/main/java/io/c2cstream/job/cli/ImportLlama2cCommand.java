package io.c2cstream.job.cli;

import io.c2cstream.engine.llama2c.Llama2cConfig;
import io.c2cstream.engine.llama2c.Llama2cImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c import-llama2c}: turns a llama2.c model into a Hugging Face Llama directory. */
@Command(name = "import-llama2c", mixinStandardHelpOptions = true,
        description = "Converts a llama2.c legacy checkpoint and its tokenizer into a Hugging Face Llama directory"
                + " (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json).")
public final class ImportLlama2cCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "llama2.c checkpoint (export.py --version 0), e.g. stories260K.bin")
    private Path checkpoint;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE",
            description = "the tokenizer the model was trained with, e.g. tok512.bin")
    private Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "new or empty output directory")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Llama2cImporter.Result result = Llama2cImporter.importModel(checkpoint, tokenizer, out);
        Llama2cConfig c = result.config();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("Wrote Hugging Face Llama model to %s%n", result.dir());
        w.printf("  geometry:  dim %d, hidden %d, %d layers, %d heads (%d key/value, head dim %d), context %d%n",
                c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), c.seqLen());
        w.printf("  weights:   %d f32 tensors, classifier %s%n", result.tensors(),
                c.sharedClassifier() ? "tied to the token embedding" : "separate (lm_head.weight)");
        w.printf("  tokenizer: vocab size %d, %d merges%n", result.vocabSize(), result.merges());
        w.flush();
        return 0;
    }
}
