import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: count the pairs i < j with values[i] + values[j] == target.
        // n can be 200 000: an O(n^2) double loop is too slow.
    }
}
