package io.streamingpipeline.localstack.process;

/** The port an engine must listen on is already taken on 127.0.0.1. */
public class PortInUseException extends EngineStartException {

    private static final long serialVersionUID = 1L;

    private final int port;

    public PortInUseException(int port, String what) {
        this(port, what, "");
    }

    public PortInUseException(int port, String what, String detail) {
        super("Port " + port + " on " + FreePorts.HOST + " (" + what + ") is already in use by another process"
                + " (another broker still running on it, or any other server). Stop that process or choose another port"
                + " (0 picks a free one)." + detail);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
