// Hand-typed after MAESTRO's XP_WS template (maestro-project/maestro data/mapping).
Network conv_XP_WS {
  Layer ResNet18_L1_CONV3x3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }
    Dataflow {
      TemporalMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y; SpatialMap(Sz(S),1) X;
      TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
    }
  }
}
