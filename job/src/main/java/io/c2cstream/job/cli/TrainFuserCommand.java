package io.c2cstream.job.cli;

import ai.djl.Device;
import io.c2cstream.engine.train.FuserTrainer;
import io.c2cstream.engine.train.FuserTraining;
import io.c2cstream.engine.train.TrainingRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c train-fuser}: trains a fuser's projectors with both models frozen (method §5). */
@Command(name = "train-fuser", mixinStandardHelpOptions = true,
        description = "Trains a C2C fuser from a recipe JSON; writes checkpoints and output_dir/final.")
public final class TrainFuserCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "RECIPE", description = "training recipe (JSON)")
    private Path config;

    @Option(names = "--resume", description = "continue from the newest checkpoint in the recipe's output_dir")
    private boolean resume;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", description = "cpu, gpu or gpu:N")
    private String device;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        TrainingRecipe recipe = TrainingRecipe.read(config);
        PrintWriter err = spec.commandLine().getErr();
        Path done = FuserTraining.run(recipe, Device.fromName(device), resume, new FuserTraining.Listener() {
            private ProgressBar bar;

            @Override
            public void onStart(int totalSteps, int trainExamples, int skippedExamples) {
                err.printf(Locale.ROOT, "training on %d conversations (%d longer than max_length skipped), %d steps of %d%n",
                        trainExamples, skippedExamples, totalSteps, recipe.effectiveBatchSize());
                bar = new ProgressBar(err, "train-fuser", totalSteps);
            }

            @Override
            public void onFrozenPrefixes(boolean computed, long bytes, double seconds) {
                bar.note(computed
                        ? String.format(Locale.ROOT, "frozen prefixes computed once: %.0f MiB in %.1f s", bytes / 1048576.0, seconds)
                        : String.format(Locale.ROOT, "frozen prefixes (%.0f MiB) not computed first: the run is"
                                + " shorter than an epoch or they exceed training.frozen_prefix_cache_mb", bytes / 1048576.0));
            }

            @Override
            public void onStep(FuserTrainer.StepReport r) {
                bar.update(r.step(), String.format(Locale.ROOT, "loss %.4f lr %.2e T %.4f |g| %.3f %.0f tok/s",
                        r.loss(), r.learningRate(), r.temperature(), r.gradNorm(), r.tokens() / Math.max(1e-9, r.seconds())));
            }

            @Override
            public void onEval(int step, double loss) {
                bar.note(String.format(Locale.ROOT, "step %d: eval loss %.4f", step, loss));
            }

            @Override
            public void onCheckpoint(int step, Path dir) {
                bar.note("step " + step + ": checkpoint " + dir);
            }
        });
        spec.commandLine().getOut().println("fuser written to " + done);
        return 0;
    }
}
