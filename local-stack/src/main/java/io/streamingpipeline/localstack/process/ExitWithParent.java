package io.streamingpipeline.localstack.process;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs inside a child JVM in front of the engine's real main class: {@code ExitWithParent <parent pid>
 * <main class> <args...>}. When the parent JVM is gone (even after a {@code kill -9}, when its shutdown
 * hooks never ran) it calls {@link System#exit}, so the engine's own shutdown hook stops it cleanly and
 * no orphan broker keeps its ports and data directory.
 *
 * <p>This class must stay self-contained (no other classes of this project, no nested classes): {@link
 * JavaProcess} copies its class file next to the child's data and puts it on the child's classpath.
 */
public final class ExitWithParent {

    private ExitWithParent() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ExitWithParent <parent pid> <main class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(
                () -> {
                    ProcessHandle.of(parentPid)
                            .ifPresent(parent -> parent.onExit().join());
                    System.err.println("Parent process " + parentPid + " has exited: stopping.");
                    System.exit(143);
                },
                "exit-with-parent-" + parentPid);
        watcher.setDaemon(true);
        watcher.start();

        Class<?> main = Class.forName(args[1]);
        try {
            main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
