package io.streamingpipeline.simulator;

/** How the simulator drops a connection, as the real feed does now and then. */
public enum DropMode {
    /** A websocket close frame with status 1000, then the TCP close. */
    NORMAL,
    /**
     * The TCP connection is closed (FIN, not RST) without a close frame: the client sees 1006. Every frame written
     * before still reaches the client.
     */
    ABNORMAL,
    /** Nothing more is sent, not even pings, but the socket stays open until the client gives up. */
    STALL
}
