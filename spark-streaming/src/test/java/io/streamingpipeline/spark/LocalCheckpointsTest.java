package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class LocalCheckpointsTest {

    @Test
    void aPathWithoutSchemeIsOnHadoopsDefaultFileSystem() {
        Configuration local = new Configuration(false);
        assertThat(LocalCheckpoints.isLocal("/opt/spark/checkpoints/trades-to-cassandra", local))
                .isTrue();
        assertThat(LocalCheckpoints.isLocal("file:/tmp/bench/checkpoints", local))
                .isTrue();
        assertThat(LocalCheckpoints.isLocal("file:///data/checkpoints", local)).isTrue();

        Configuration onHdfs = new Configuration(false);
        onHdfs.set("fs.defaultFS", "hdfs://namenode:8020");
        assertThat(LocalCheckpoints.isLocal("/checkpoints/trades-to-cassandra", onHdfs))
                .isFalse();
        assertThat(LocalCheckpoints.isLocal("file:/tmp/checkpoints", onHdfs)).isTrue();
    }

    @Test
    void objectStoresAndHdfsAreNotLocal() {
        Configuration conf = new Configuration(false);
        assertThat(LocalCheckpoints.isLocal("s3a://bucket/checkpoints", conf)).isFalse();
        assertThat(LocalCheckpoints.isLocal("hdfs://namenode:8020/checkpoints", conf))
                .isFalse();
        assertThat(LocalCheckpoints.isLocal("abfss://c@account.dfs.core.windows.net/cp", conf))
                .isFalse();
    }

    @Test
    void theFileManagerNamedIsSparks() throws Exception {
        // the setting takes a class name: a typo would only show when the query starts
        assertThat(Class.forName(LocalCheckpoints.FILE_SYSTEM_BASED)).isNotNull();
    }
}
