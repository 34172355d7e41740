package io.c2cstream.job.cli;

import io.c2cstream.engine.zoo.ZooBuilder;
import io.c2cstream.engine.zoo.ZooWorld;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c zoo}: the project's own tiny model zoo. */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "Builds the embedded default: the tiny model zoo.",
        subcommands = {ZooCommand.Build.class})
public final class ZooCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code c2c zoo build}: regenerates every zoo artifact from fixed seeds. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Regenerates the zoo from seeds: world, tokenizers, sharer and receiver pretraining, fuser"
                    + " training, held-out benchmark files. About 43 minutes on two cores.")
    public static final class Build implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", description = "zoo directory (default: the project's zoo/)")
        private Path out;

        @Option(names = "--work", defaultValue = "target/zoo-build", paramLabel = "DIR",
                description = "corpora and intermediate files (default: ${DEFAULT-VALUE})")
        private Path work;

        @Option(names = "--smoke", description = "a few steps per stage: checks the pipeline, not a usable zoo")
        private boolean smoke;

        @Option(names = "--keep-existing", description = "do not retrain a model whose checkpoint is already in the zoo")
        private boolean keepExisting;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Path zoo = out != null ? out : Path.of(System.getProperty("c2c.home", ".")).resolve("zoo");
            PrintWriter err = spec.commandLine().getErr();
            Map<String, ProgressBar> bars = new HashMap<>();
            long start = System.nanoTime();
            ZooBuilder.build(zoo, work, ZooWorld.standard(), smoke ? ZooBuilder.Schedule.smoke() : ZooBuilder.Schedule.FULL,
                    keepExisting, new ZooBuilder.Listener() {
                        @Override
                        public void onStage(String stage, int totalSteps) {
                            bars.put(stage, new ProgressBar(err, String.format("%-8s", stage), totalSteps));
                        }

                        @Override
                        public void onProgress(String stage, int step, String status) {
                            bars.get(stage).update(step, status);
                        }

                        @Override
                        public void onEvaluation(String stage, int step, String result) {
                            bars.get(stage).note(stage + " step " + step + ": " + result);
                        }
                    });
            spec.commandLine().getOut().printf("zoo written to %s in %.1f minutes%n", zoo,
                    (System.nanoTime() - start) / 60e9);
            return 0;
        }
    }
}
