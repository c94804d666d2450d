package io.switchboard.distribute.supervise;

import io.switchboard.distribute.dispatch.Language;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How to start a Python worker: an interpreter that has cloudpickle, running the worker script
 * shipped inside the jar (written to a file at start, since python cannot run a jar entry).
 *
 * @param python the interpreter
 * @param version its {@code major.minor}; cloudpickle needs clients on the same version
 * @param script the worker script on disk
 */
public record PythonCommand(String python, String version, Path script) implements WorkerLaunch {

    /** Interpreters tried in order when none is configured: Debian's first, where python3-cloudpickle installs. */
    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");

    /**
     * Finds an interpreter with cloudpickle: {@code configured} if given, else the usual ones.
     *
     * @return empty when none has cloudpickle
     */
    public static Optional<PythonCommand> find(@Nullable String configured, Path scriptDir) {
        for (String candidate : configured == null || configured.isBlank() ? CANDIDATES : List.of(configured)) {
            Optional<String> version = probe(candidate);
            if (version.isPresent()) {
                return Optional.of(new PythonCommand(candidate, version.get(), writeScript(scriptDir)));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> probe(String python) {
        try {
            Process process = new ProcessBuilder(
                            python, "-c", "import cloudpickle, sys; print('%d.%d' % sys.version_info[:2])")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && out.matches("\\d+\\.\\d+")) {
                return Optional.of(out);
            }
        } catch (IOException e) {
            // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static Path writeScript(Path dir) {
        try (InputStream in = PythonCommand.class.getResourceAsStream("/io/switchboard/distribute/python/worker.py")) {
            Files.createDirectories(dir);
            Path script = dir.resolve("distribute-python-worker.py");
            Files.write(script, in.readAllBytes());
            return script;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot write the Python worker script into " + dir + ": " + e, e);
        }
    }

    @Override
    public Language language() {
        return Language.PYTHON;
    }

    @Override
    public String idPrefix() {
        return "py-";
    }

    @Override
    public List<String> argv(String host, int port, String workerId) {
        return List.of(python, "-u", script.toString(), "--connect", host + ":" + port, "--id", workerId);
    }
}
