package io.streamingpipeline.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/** A {@link SparkConf} as a Java map and back: the jobs' settings are parsed from, and applied as, plain maps. */
public final class SparkConfMaps {

    private SparkConfMaps() {}

    public static Map<String, String> asMap(SparkConf conf) {
        Map<String, String> map = new HashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            map.put(entry._1(), entry._2());
        }
        return map;
    }

    public static scala.collection.Iterable<Tuple2<String, String>> scalaMap(Map<String, String> map) {
        return scala.collection.JavaConverters.mapAsScalaMapConverter(map).asScala();
    }
}
