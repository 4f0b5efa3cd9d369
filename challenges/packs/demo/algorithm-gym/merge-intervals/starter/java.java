import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: merge the intervals that overlap or touch, then print how many are left
        // and each of them, from left to right.
    }
}
