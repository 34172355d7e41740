package io.c2cstream.job.cli;

import ai.djl.Device;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.LanguageModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c generate}: continues a prompt with one model and reports its speed. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates a continuation of a prompt with a Hugging Face model directory, then prints tokens/s.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "model directory: config.json, safetensors weights, tokenizer.json")
    private Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the prompt text")
    private String prompt;

    @Option(names = "--chat", description = "render the prompt as a user turn through the model's chat template")
    private boolean chat;

    @Option(names = "--max-new-tokens", defaultValue = "256", paramLabel = "N",
            description = "stop after N generated tokens (default: ${DEFAULT-VALUE})")
    private int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "0 for greedy decoding, else sampling temperature (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "sample among the K most likely tokens; 0 disables (default: ${DEFAULT-VALUE})")
    private int topK;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P",
            description = "nucleus sampling mass; 1 disables (default: ${DEFAULT-VALUE})")
    private double topP;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "sampling seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    private String device;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try (LanguageModel lm = LanguageModel.load(model, Device.fromName(device))) {
            int[] ids = lm.encodePrompt(prompt, chat);
            Generation g = lm.generator().generate(ids, lm.sampling(maxNewTokens, temperature, topK, topP, seed));
            PrintWriter out = spec.commandLine().getOut();
            out.println(g.text());
            out.printf("%n[%d prompt tokens, %d generated (%s); prefill %.1f ms, %.2f ms/token, %.1f tokens/s]%n",
                    ids.length, g.tokens().length, g.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                    g.prefillMillis(), g.perTokenMillis(), g.decodeTokensPerSecond());
            out.flush();
            return 0;
        }
    }
}
