import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        String[] tokens = new String(System.in.readAllBytes()).trim().split("\\s+");
        // TODO: walk the grid clockwise from the top-left corner, layer by layer,
        // and print the values on one line separated by spaces.
    }
}
