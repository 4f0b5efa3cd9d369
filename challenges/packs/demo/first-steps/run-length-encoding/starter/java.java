import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: "aaabccdddd" -> "3ab2c4d"
        // TODO: "3ab2c4d" -> "aaabccdddd"
        // TODO: print encode(payload) or decode(payload) depending on mode
    }
}
