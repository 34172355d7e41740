package io.c2cstream.job.cli;

import io.c2cstream.engine.checkpoint.CheckpointException;
import io.c2cstream.engine.tokenizer.ChatTemplateException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code c2c} command line; each subcommand is its own class, registered in {@code subcommands}. */
@Command(name = "c2c", mixinStandardHelpOptions = true, versionProvider = C2cCli.Version.class,
        description = "C2C Stream: Cache-to-Cache LLM cooperation.",
        subcommands = {GenerateCommand.class, ImportLlama2cCommand.class, EvalCommand.class,
                TrainFuserCommand.class, ReplayCommand.class, ZooCommand.class, BenchEngineCommand.class,
                BenchC2cCommand.class, BenchJobCommand.class})
public final class C2cCli implements Runnable {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The root command, for {@link #main} and tests. Bad input ends in a one-line message and exit code 1;
     * any other exception is a bug and keeps its stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new C2cCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!isBadInput(e)) {
                throw e;
            }
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            cmd.getErr().println("c2c " + cmd.getCommandName() + ": " + e.getMessage() + cause);
            return 1;
        });
    }

    /** Errors that describe the user's input (files, options), as opposed to bugs. */
    private static boolean isBadInput(Exception e) {
        return e instanceof CheckpointException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof ChatTemplateException;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The version Maven writes into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = C2cCli.class.getPackage().getImplementationVersion();
            return new String[] {"c2c " + (version == null ? "(development build)" : version)};
        }
    }
}
