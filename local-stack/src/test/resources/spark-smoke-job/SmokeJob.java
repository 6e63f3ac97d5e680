package localstack.smoke;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A tiny Spark application for SparkClusterIT, compiled and packaged by the test against the engine's jars (Spark is
 * never on local-stack's own classpath). Usage: {@code SmokeJob <result file> [seconds to stay up afterwards]}.
 * Sums 1..1,000,000 in 4 partitions on the cluster's executors and writes the result to the file.
 */
public final class SmokeJob {

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            Row row = spark.range(1, 1_000_001, 1, 4).selectExpr("sum(id)", "count(*)").first();
            String result = "sum=" + row.getLong(0) + " count=" + row.getLong(1)
                    + " app=" + spark.sparkContext().applicationId()
                    + " master=" + spark.sparkContext().master();
            Path file = Path.of(args[0]);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, result, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            if (args.length > 1) {
                Thread.sleep(Long.parseLong(args[1]) * 1000);
            }
        } finally {
            spark.stop();
        }
    }
}
